// `run`: until SIGINT/SIGTERM (exit 0) or revocation (exit 3).
import type { CliArgs } from '../cli.js';
import { AgentErrorCode } from '../errors.js';
import { runAgent } from '../run/runAgent.js';
import { commandContext } from './common.js';

export async function runCommand(args: CliArgs): Promise<number> {
  const { paths, config, log } = commandContext(args, false);
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    log.info({ signal }, 'stopping');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const end = await runAgent({ paths, config, log, signal: controller.signal });
    return end === 'revoked' ? AgentErrorCode.AGENT_REVOKED.exit : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
