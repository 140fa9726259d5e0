// Runs every collector; a collector that fails leaves its section out (the hub then keeps what
// it had) and the failure is logged. Lists are capped per PROTOCOL.md limits.
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { accountsSpec } from './accounts/spec.js';
import { readAccounts } from './accounts/linux/read.js';
import type { AccountRecord, GroupRecord } from './accounts/parse.js';
import { dpkgSpec } from './dpkg/spec.js';
import { readDpkgPackages } from './dpkg/linux/read.js';
import type { DpkgPackage } from './dpkg/parse.js';
import { readHostFacts, type HostFactsRecord } from './host/read.js';
import { interfacesSpec } from './interfaces/spec.js';
import { readInterfaces } from './interfaces/read.js';
import type { InterfaceRecord } from './interfaces/parse.js';
import { listenersSpec } from './listeners/spec.js';
import { readListeners, type Listener } from './listeners/linux/read.js';
import { processesSpec } from './processes/spec.js';
import { readProcesses, type ProcessRecord } from './processes/linux/read.js';
import { readRpmPackages } from './rpm/linux/read.js';
import type { RpmPackage } from './rpm/parse.js';
import { servicesSpec } from './services/spec.js';
import { readServices } from './services/linux/read.js';
import type { ServiceRecord } from './services/parse.js';

export interface Sections {
  host?: HostFactsRecord;
  interfaces?: InterfaceRecord[];
  processes?: ProcessRecord[];
  services?: ServiceRecord[];
  accounts?: AccountRecord[];
  groups?: GroupRecord[];
  listeners?: Listener[];
  packages?: Array<DpkgPackage | RpmPackage>;
}

export { SECTION_NAMES, type SectionName } from './spec.js';

async function attempt<T>(log: Logger, name: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    log.warn(
      { collector: name, err: errorMessage(err) },
      'collector failed; section left out of this report',
    );
    return undefined;
  }
}

export async function collectSections(log: Logger): Promise<Sections> {
  const linux = process.platform === 'linux';
  const [host, interfaces, accountsAndGroups, packages] = await Promise.all([
    attempt(log, 'host', readHostFacts),
    attempt(log, 'interfaces', () => readInterfaces(interfacesSpec.maxItems)),
    attempt(log, 'accounts', () => readAccounts(accountsSpec.maxItems)),
    attempt(log, 'packages', async () => {
      const [dpkg, rpm] = await Promise.all([
        readDpkgPackages(undefined, dpkgSpec.maxItems),
        linux ? readRpmPackages() : undefined,
      ]);
      return [...(dpkg ?? []), ...(rpm ?? [])].slice(0, dpkgSpec.maxItems);
    }),
  ]);
  const usersByUid = new Map((accountsAndGroups?.accounts ?? []).map((a) => [a.uid, a.name] as const));
  const sections: Sections = {};
  if (host) sections.host = host;
  if (interfaces) sections.interfaces = interfaces;
  if (accountsAndGroups?.accounts) sections.accounts = accountsAndGroups.accounts;
  if (accountsAndGroups?.groups) sections.groups = accountsAndGroups.groups;
  if (packages) sections.packages = packages;
  if (linux) {
    const [processes, listeners, services] = await Promise.all([
      attempt(log, 'processes', () => readProcesses(processesSpec.maxItems, usersByUid)),
      attempt(log, 'listeners', () => readListeners(listenersSpec.maxItems)),
      attempt(log, 'services', () => readServices(servicesSpec.maxItems)),
    ]);
    if (processes) sections.processes = processes;
    if (listeners) sections.listeners = listeners;
    if (services) sections.services = services;
  }
  return sections;
}
