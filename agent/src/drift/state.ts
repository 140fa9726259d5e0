// Non-file state kinds, read through the existing collectors (no second parser of /proc or
// dpkg). A kind whose collector fails is reported as not covered, so its items are neither
// re-sent nor declared removed.
import { readdir } from 'node:fs/promises';
import { accountsSpec } from '../collectors/accounts/spec.js';
import { readAccounts } from '../collectors/accounts/linux/read.js';
import { dpkgSpec } from '../collectors/dpkg/spec.js';
import { readDpkgPackages } from '../collectors/dpkg/linux/read.js';
import { DPKG_STATUS_PATH } from '../collectors/dpkg/spec.js';
import { readTextOrUndefined } from '../collectors/linux/procfs.js';
import { listenersSpec } from '../collectors/listeners/spec.js';
import { readListeners } from '../collectors/listeners/linux/read.js';
import { processesSpec } from '../collectors/processes/spec.js';
import { readProcesses } from '../collectors/processes/linux/read.js';
import { readRpmPackages } from '../collectors/rpm/linux/read.js';
import { servicesSpec } from '../collectors/services/spec.js';
import { readServices } from '../collectors/services/linux/read.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { hostPath } from './files.js';
import {
  CRON_DIRS,
  CRON_FILES,
  parseCronLines,
  parseProcModules,
  printable,
  sysctlPath,
} from './stateParse.js';
import { makeItem, MAX_KEY_CHARS, type Item, type ItemKind, type StateKind } from './types.js';

export interface StateContext {
  root: string;
  sysctlKeys: readonly string[];
  log: Logger;
}

/** Which item kind each state kind produces. */
export const KIND_OF: Record<StateKind, ItemKind> = {
  ports: 'port',
  processes: 'process',
  users: 'user',
  groups: 'group',
  packages: 'package',
  services: 'service',
  cron: 'cron',
  sysctl: 'sysctl',
  kernel_modules: 'kernel_module',
};

/** Kinds read from the running system (not from files), so only with root '/'. */
const LIVE_ONLY: ReadonlySet<StateKind> = new Set(['ports', 'processes', 'services']);

export interface StateResult {
  items: Item[];
  covered: Set<ItemKind>;
}

export async function collectState(kinds: ReadonlySet<StateKind>, ctx: StateContext): Promise<StateResult> {
  const live = ctx.root === '/' && process.platform === 'linux';
  const out: StateResult = { items: [], covered: new Set() };
  const accounts =
    kinds.has('users') || kinds.has('groups') || kinds.has('processes')
      ? await attempt(ctx, 'accounts', () => readAccounts(accountsSpec.maxItems, hostPath(ctx.root, '/etc')))
      : undefined;
  const add = async (kind: StateKind, fn: () => Promise<Item[] | undefined>): Promise<void> => {
    if (!kinds.has(kind) || (LIVE_ONLY.has(kind) && !live)) return;
    const items = await attempt(ctx, kind, fn);
    if (items === undefined) return;
    for (const item of items) if (item.key.length <= MAX_KEY_CHARS) out.items.push(item);
    out.covered.add(KIND_OF[kind]);
  };
  await add('users', () =>
    Promise.resolve(
      accounts?.accounts?.map((a) =>
        makeItem('user', a.name, {
          uid: a.uid,
          gid: a.gid,
          home: a.home,
          shell: a.shell,
          passwordState: a.passwordState,
          passwordChangedAtMs: a.passwordChangedAtMs,
        }),
      ),
    ),
  );
  await add('groups', () =>
    Promise.resolve(
      accounts?.groups?.map((g) => makeItem('group', g.name, { gid: g.gid, members: [...g.members].sort() })),
    ),
  );
  await add('packages', async () => {
    const dpkg = await readDpkgPackages(hostPath(ctx.root, DPKG_STATUS_PATH), dpkgSpec.maxItems);
    const rpm = live ? await readRpmPackages() : undefined;
    if (dpkg === undefined && rpm === undefined) return [];
    return [...(dpkg ?? []), ...(rpm ?? [])].map((p) =>
      makeItem('package', `${p.name}:${p.arch}`, { version: p.version, manager: p.manager }),
    );
  });
  await add('ports', async () => {
    const byKey = new Map<string, Set<string>>();
    for (const l of await readListeners(listenersSpec.maxItems)) {
      const host = l.family === 6 ? `[${l.address}]` : l.address;
      const key = `${l.protocol}/${host}:${l.port}`;
      const set = byKey.get(key) ?? new Set<string>();
      if (l.process) set.add(l.process);
      byKey.set(key, set);
    }
    return [...byKey].map(([key, procs]) => makeItem('port', key, { processes: [...procs].sort() }));
  });
  await add('processes', async () => {
    const usersByUid = new Map((accounts?.accounts ?? []).map((a) => [a.uid, a.name] as const));
    const seen = new Map<string, Item>();
    for (const p of await readProcesses(processesSpec.maxItems, usersByUid)) {
      // No pid, no cmdline: one item per distinct program identity, so restarts are not drift.
      const key = `${p.name}|${p.user}|${p.path}`;
      if (!seen.has(key))
        seen.set(key, makeItem('process', key, { name: p.name, user: p.user, path: p.path }));
    }
    return [...seen.values()];
  });
  await add('services', async () =>
    (await readServices(servicesSpec.maxItems))?.map((s) =>
      makeItem('service', s.name, { running: s.running, enabled: s.enabled, manager: s.manager }),
    ),
  );
  await add('cron', () => readCron(ctx.root));
  await add('sysctl', () => readSysctl(ctx.root, ctx.sysctlKeys));
  await add('kernel_modules', async () => {
    const text = await readTextOrUndefined(hostPath(ctx.root, '/proc/modules'));
    return parseProcModules(text ?? '').map((name) => makeItem('kernel_module', name, { loaded: true }));
  });
  return out;
}

async function readCron(root: string): Promise<Item[]> {
  const files: string[] = [...CRON_FILES];
  for (const dir of CRON_DIRS) {
    const names = await readdir(hostPath(root, dir)).catch(() => [] as string[]);
    // run-parts ignores names with dots (backups such as foo.dpkg-old); so does cron for cron.d.
    for (const n of names.sort()) if (/^[\w-]+$/.test(n)) files.push(`${dir}/${n}`);
  }
  const items: Item[] = [];
  for (const file of files) {
    const text = await readTextOrUndefined(hostPath(root, file));
    if (text === undefined) continue;
    for (const c of parseCronLines(file, text)) {
      items.push(
        makeItem('cron', c.key, { file: c.file, line: c.line, lineNo: c.lineNo }, { volatile: ['lineNo'] }),
      );
    }
  }
  return items;
}

async function readSysctl(root: string, keys: readonly string[]): Promise<Item[]> {
  const items: Item[] = [];
  for (const key of keys) {
    const text = await readTextOrUndefined(hostPath(root, sysctlPath(key)));
    if (text !== undefined)
      items.push(makeItem('sysctl', key, { value: printable(text).trim().slice(0, 1024) }));
  }
  return items;
}

async function attempt<T>(ctx: StateContext, what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    ctx.log.warn({ kind: what, err: errorMessage(err) }, 'drift: state kind not collected this time');
    return undefined;
  }
}
