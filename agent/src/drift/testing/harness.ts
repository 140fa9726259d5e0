// Test helpers for drift's integration tests: a DriftService over a real LevelDB + outbox in a
// temp data dir, reading a prepared temp root, and a reader of the DriftReports it queued.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeAgentEnvelope, policyDocumentSchema, watchpost, type PolicyDocument } from '@watchpost/proto';
import { pino } from 'pino';
import { Outbox } from '../../outbox/index.js';
import { openStore, type Store } from '../../state/store.js';
import { DriftService } from '../index.js';

const log = pino({ level: 'silent' });
// Generous: on a loaded machine two writes 15 ms apart must still fall in one burst.
export const COALESCE_MS = 1000;

export const policy = policyDocumentSchema.parse({
  id: 'drift-test',
  title: 'drift test',
  version: '1',
  checks: [
    {
      id: 'c1',
      title: 't',
      rationale: 'r',
      remediation: 'm',
      rules: [{ kind: 'sysctl', key: 'net.ipv4.ip_forward', tests: [] }],
    },
  ],
  watch: {
    paths: ['/etc/shadow', '/etc/crontab'],
    realtime: ['/etc/app'],
    state: ['cron', 'sysctl', 'kernel_modules', 'users', 'groups'],
    intervalS: 3600,
  },
});

export function put(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

export const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface Agent {
  store: Store;
  outbox: Outbox;
  drift: DriftService;
  seen: number;
}

export async function openAgent(
  root: string,
  dataDir: string,
  seen = 0,
  maxFiles = 1000,
  documents: readonly PolicyDocument[] = [policy],
): Promise<Agent> {
  const store = await openStore(dataDir);
  const outbox = await Outbox.open(store, 64 * 1024 * 1024, log);
  const drift = new DriftService({
    store,
    outbox,
    log,
    root,
    config: {
      maxFiles,
      maxFileBytesForDiff: 65_536,
      coalesceMs: COALESCE_MS,
      realtime: true,
      maxWatchers: 64,
    },
    documents: () => documents,
  });
  await drift.start();
  return { store, outbox, drift, seen };
}

export async function closeAgent(a: Agent): Promise<number> {
  a.drift.stop();
  await a.drift.settled();
  a.outbox.close();
  await a.store.db.close();
  return a.seen;
}

/** Drift reports appended since the last call. */
export async function newReports(a: Agent): Promise<watchpost.v1.DriftReport[]> {
  const out: watchpost.v1.DriftReport[] = [];
  for (const e of await a.outbox.readAfter(a.seen, 100_000)) {
    a.seen = e.seq;
    const env = decodeAgentEnvelope(e.frame);
    if (env.driftReport) out.push(watchpost.v1.DriftReport.create(env.driftReport));
  }
  return out;
}

export async function waitForChanges(a: Agent, timeoutMs = 10_000): Promise<watchpost.v1.IDriftChange[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const reports = await newReports(a);
    if (reports.length > 0) return reports.flatMap((r) => r.changes);
    await sleep(50);
  }
  return [];
}
