// `status`: reads status.json written by a running agent (the local database is locked by it).
import type { CliArgs } from '../cli.js';
import { readIdentityFile } from '../identity/identity.js';
import { isProcessAlive, readStatus } from '../status/statusFile.js';
import { agentError } from '../errors.js';
import { dataPaths, defaultDataDir } from '../config/dataDir.js';
import { loadConfig } from '../config/config.js';
import { printJson } from './common.js';
import { join } from 'node:path';
import { readMarker } from '../upgrade/index.js';
import { AGENT_VERSION } from '../version.js';

export function statusCommand(args: CliArgs): number {
  const paths = dataPaths(args.dataDir ?? defaultDataDir());
  const config = loadConfig(paths.config);
  const identity = readIdentityFile(paths);
  const status = readStatus(paths.status);
  if (!identity && !status) throw agentError('NOT_ENROLLED', `not enrolled: no identity in ${paths.root}`);
  const running = status ? isProcessAlive(status.pid) && status.agentId === identity?.agentId : false;
  const result = {
    running,
    enrolled: identity !== undefined,
    dataDir: paths.root,
    ...(status ?? {
      connected: false,
      hub: identity?.hubUrl ?? '',
      agentId: identity?.agentId ?? '',
      scope: config.scope,
      outboxBudgetBytes: config.outboxBudgetBytes,
    }),
    ...(running ? {} : { connected: false }),
    // The executable on disk may be newer than the running process (an upgrade in flight).
    binaryVersion: AGENT_VERSION,
    upgrade: upgradeSummary(paths.root),
  };
  if (args.json) printJson(result);
  else {
    for (const [k, v] of Object.entries(result))
      process.stdout.write(`${k.padEnd(18)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}\n`);
  }
  return 0;
}

function upgradeSummary(root: string) {
  const m = readMarker(join(root, 'upgrade.json'));
  return m
    ? { from: m.from, to: m.to, state: m.state, deadline: new Date(m.deadlineMs).toISOString() }
    : null;
}
