// Enrolls a real agent identity against a TestHub and opens its local store/outbox, for tests of
// the connection and task logic. Test-only code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { dataPaths, type DataPaths } from '../config/dataDir.js';
import { HubClient } from '../connection/client.js';
import { agentEndpoint } from '../connection/hubUrl.js';
import { enrollOverWebSocket } from '../identity/enroll.js';
import { readIdentity, writeIdentity, type Identity } from '../identity/identity.js';
import { Outbox } from '../outbox/index.js';
import { openStore, type Store } from '../state/store.js';
import type { TestHub } from './testHub.js';

export const silentLog = pino({ level: process.env['WATCHPOST_TEST_LOG_LEVEL'] ?? 'silent' });

export async function enrolledDataDir(
  hub: TestHub,
  t: { after: (fn: () => unknown) => void },
): Promise<{ paths: DataPaths; identity: Identity }> {
  const dir = mkdtempSync(join(tmpdir(), 'wp-agent-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const paths = dataPaths(dir);
  const url = agentEndpoint(hub.url);
  const result = await enrollOverWebSocket({ url, token: hub.createToken(), log: silentLog });
  writeIdentity(
    paths,
    {
      agentId: result.agentId,
      tenantId: result.tenantId,
      hubUrl: url,
      hubPublicKey: result.hubPublicKey.toString('base64'),
      enrolledAt: new Date().toISOString(),
    },
    result.privateKeyPem,
  );
  return { paths, identity: readIdentity(paths) };
}

export interface Harness {
  store: Store;
  outbox: Outbox;
  identity: Identity;
  paths: DataPaths;
}

export async function openHarness(paths: DataPaths, budgetBytes = 64 * 1024 * 1024): Promise<Harness> {
  const store = await openStore(paths.state);
  const outbox = await Outbox.open(store, budgetBytes, silentLog);
  return { store, outbox, identity: readIdentity(paths), paths };
}

export function hubClient(
  h: Harness,
  hub: TestHub,
  hooks: Partial<ConstructorParameters<typeof HubClient>[0]['hooks']> = {},
): HubClient {
  return new HubClient({
    url: agentEndpoint(hub.url),
    identity: h.identity,
    outbox: h.outbox,
    log: silentLog,
    version: 'test',
    hostname: 'test-host',
    capabilities: [],
    backoffMaxMs: 50,
    hooks: {
      appliedPolicies: () => [],
      onTask: () => undefined,
      onPolicy: () => undefined,
      onWelcome: () => undefined,
      onAck: () => undefined,
      ...hooks,
    },
  });
}

/** Resolves when predicate() holds (re-checked on every turn of the event loop). */
export async function until(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
