// `run`: wires the agent together — identity, local store, outbox, inventory, tasks, policies,
// the hub connection and status.json — and runs until stopped or revoked.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import type { AgentConfig } from '../config/config.js';
import type { DataPaths } from '../config/dataDir.js';
import { HubClient, type ClientEnd } from '../connection/client.js';
import { agentEndpoint } from '../connection/hubUrl.js';
import { errorMessage } from '../errors.js';
import { readIdentity } from '../identity/identity.js';
import { runCredentialChecks } from '../credentials/index.js';
import { InventoryService } from '../inventory/service.js';
import type { Logger } from '../log.js';
import { Outbox } from '../outbox/index.js';
import { PolicyStore } from '../policies/policies.js';
import { openStore } from '../state/store.js';
import { writeStatus } from '../status/statusFile.js';
import { TaskRunner } from '../tasks/runner.js';
import { AGENT_VERSION } from '../version.js';

export const CAPABILITIES = [
  'inventory',
  'task:collect_inventory',
  'task:pipeline_probe',
  'task:scan',
  'task:cancel',
  'policy:store',
];

export interface RunOptions {
  paths: DataPaths;
  config: AgentConfig;
  log: Logger;
  signal?: AbortSignal;
}

export async function runAgent(opts: RunOptions): Promise<ClientEnd> {
  const { paths, config, log } = opts;
  const identity = readIdentity(paths);
  mkdirSync(paths.state, { recursive: true, mode: 0o700 });
  const store = await openStore(paths.state);
  const outbox = await Outbox.open(store, config.outboxBudgetBytes, log);
  const inventory = await InventoryService.open({ store, outbox, log });
  const policies = await PolicyStore.open({
    store,
    outbox,
    agentId: identity.agentId,
    hubPublicKey: identity.hubPublicKey,
    log,
  });
  const runner = await TaskRunner.open({
    store,
    outbox,
    agentId: identity.agentId,
    hubPublicKey: identity.hubPublicKey,
    inventory,
    log,
    scope: config.scope,
    checkCredentials: runCredentialChecks,
  });
  const url = agentEndpoint(identity.hubUrl);
  const client = new HubClient({
    url,
    identity,
    outbox,
    log,
    version: AGENT_VERSION,
    hostname: hostname(),
    capabilities: CAPABILITIES,
    heartbeatIntervalS: config.heartbeatIntervalS,
    backoffMaxMs: config.backoffMaxMs,
    hooks: {
      appliedPolicies: () => policies.list(),
      onTask: (task) => void runner.handle(task),
      onPolicy: (policy) => void policies.handle(policy),
      onWelcome: () => undefined,
      onAck: () => undefined,
    },
  });

  const status = (): void => {
    const stats = outbox.stats();
    const c = client.status();
    try {
      writeStatus(paths.status, {
        connected: c.connected,
        hub: url,
        agentId: identity.agentId,
        lastAckSeq: c.lastAckSeq,
        lastAckAt: c.lastAckAt,
        outboxMessages: stats.messages,
        outboxBytes: stats.bytes,
        outboxBudgetBytes: stats.budgetBytes,
        collectionPaused: stats.paused,
        appliedPolicies: policies.summary(),
        scope: config.scope,
        version: AGENT_VERSION,
        pid: process.pid,
        updatedAt: new Date().toISOString(),
      });
    } catch (err) {
      log.warn({ err: errorMessage(err) }, 'could not write status.json');
    }
  };
  status();
  const statusTimer = setInterval(status, config.statusIntervalS * 1000);
  const onAbort = (): void => client.stop();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) client.stop();

  log.info(
    { agentId: identity.agentId, hub: url, version: AGENT_VERSION, backlog: outbox.stats().messages },
    'agent starting',
  );
  await runner.resumeUnfinished();
  inventory.schedule(config.inventoryIntervalS);
  let end: ClientEnd;
  try {
    end = await client.run();
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    inventory.stop();
    runner.stop();
    outbox.close();
    await Promise.allSettled([runner.settled(), inventory.settled()]);
    clearInterval(statusTimer);
    status();
    await store.db.close();
  }
  log.info({ end }, 'agent stopped');
  return end;
}
