// Runs the real agent (runAgent) in-process against a TestHub. Test-only code.
import { parseConfig } from '../config/config.js';
import type { DataPaths } from '../config/dataDir.js';
import type { ClientEnd } from '../connection/client.js';
import { runAgent } from '../run/runAgent.js';
import { silentLog } from './agentHarness.js';

export interface RunningAgent {
  stop(): Promise<ClientEnd>;
  done: Promise<ClientEnd>;
}

export function startAgent(paths: DataPaths, config: Record<string, unknown> = {}): RunningAgent {
  const controller = new AbortController();
  const done = runAgent({
    paths,
    config: parseConfig({ heartbeatIntervalS: 1, statusIntervalS: 1, ...config }, {}),
    log: silentLog,
    signal: controller.signal,
  });
  return {
    done,
    stop: async () => {
      controller.abort();
      return done;
    },
  };
}
