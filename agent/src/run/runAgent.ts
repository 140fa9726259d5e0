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
import { InventoryService } from '../inventory/service.js';
import type { Logger } from '../log.js';
import { Outbox } from '../outbox/index.js';
import { PolicyStore } from '../policies/policies.js';
import { openStore } from '../state/store.js';
import { writeStatus } from '../status/statusFile.js';
import { TaskRunner } from '../tasks/runner.js';
import { applyBuildFault, UpgradeService } from '../upgrade/index.js';
import { BaselineService } from '../baseline/index.js';
import { DriftService } from '../drift/index.js';
import { AGENT_VERSION } from '../version.js';
import type { CredentialChecker } from '../discovery/index.js';

// The credential checkers pull in five client libraries; load them only when a scan asks.
const runCredentialChecks: CredentialChecker = async (targets, opts) =>
  (await import('../credentials/index.js')).runCredentialChecks(targets, opts);

export const CAPABILITIES = [
  'inventory',
  'task:collect_inventory',
  'task:pipeline_probe',
  'task:scan',
  'task:cancel',
  'policy:store',
  'task:upgrade',
  'baseline',
  'task:baseline_evaluate',
  'drift',
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
  const upgrade = new UpgradeService({
    dataDir: paths.root,
    hubUrl: identity.hubUrl,
    hubPublicKey: identity.hubPublicKey,
    version: AGENT_VERSION,
    log,
  });
  // Before the store is opened: an overdue new build hands over to the previous one here.
  if (!upgrade.checkAtStart()) return 'stopped';
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
  const baseline = new BaselineService({ policies, outbox, log, config: config.baseline });
  const drift = new DriftService({
    store,
    outbox,
    log,
    config: config.drift,
    root: config.baseline.root,
    documents: () => policies.active().map((p) => p.document),
  });
  policies.onChange(() => void drift.policiesChanged());
  const runner = await TaskRunner.open({
    store,
    outbox,
    agentId: identity.agentId,
    hubPublicKey: identity.hubPublicKey,
    inventory,
    log,
    scope: config.scope,
    checkCredentials: runCredentialChecks,
    upgrade,
    baseline,
    drift,
  });
  const url = applyBuildFault(agentEndpoint(identity.hubUrl));
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
      onWelcome: () => {
        status(); // operators see "connected" at once, not at the next status tick
        baseline.start(); // first connect only: the STARTUP run
        void upgrade
          .onConnected()
          .catch((err: unknown) => log.error({ err: errorMessage(err) }, 'upgrade confirmation failed'));
      },
      onAck: () => undefined,
    },
  });

  upgrade.attach(outbox, () => client.stop());

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
  void drift.start();
  let end: ClientEnd;
  try {
    end = await client.run();
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    inventory.stop();
    runner.stop();
    baseline.stop();
    drift.stop();
    outbox.close();
    await Promise.allSettled([runner.settled(), inventory.settled(), baseline.settled(), drift.settled()]);
    clearInterval(statusTimer);
    status();
    await store.db.close();
  }
  log.info({ end }, 'agent stopped');
  upgrade.restartIfPending();
  return end;
}
