// watchpost-agent <enroll|run|status|doctor|uninstall> — see README.md "Commands".
import { parseArgs } from 'node:util';
import { errorMessage, isAgentError } from './errors.js';
import { enrollCommand } from './cli/enroll.js';
import { runCommand } from './cli/run.js';
import { statusCommand } from './cli/status.js';
import { doctorCommand } from './cli/doctor.js';
import { uninstallCommand } from './cli/uninstall.js';
import { AGENT_VERSION } from './version.js';

const USAGE = `usage: watchpost-agent <command> [options]

commands:
  enroll --hub ws://HOST:PORT --token T [--tenant NAME] [--data-dir D] [--json]
  run    [--data-dir D]
  status [--data-dir D] [--json]
  doctor [--data-dir D] [--json]          checks nmap, capabilities, disk, hub reachability, clock
  uninstall [--prefix P] [--purge] [--data-dir D] [--json]
  --version

The data dir defaults to $WATCHPOST_AGENT_DATA_DIR, else /var/lib/watchpost-agent (root) or
~/.local/state/watchpost-agent.`;

export interface CliArgs {
  dataDir: string | undefined;
  hub: string | undefined;
  token: string | undefined;
  tenant: string | undefined;
  json: boolean;
  prefix: string | undefined;
  purge: boolean;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'data-dir': { type: 'string' },
      hub: { type: 'string' },
      token: { type: 'string' },
      tenant: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'V', default: false },
      prefix: { type: 'string' },
      purge: { type: 'boolean', default: false },
    },
  });
  if (values.version) {
    process.stdout.write(`${AGENT_VERSION}\n`);
    return 0;
  }
  const [command, ...extra] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 64;
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra.join(' ')}`);
  const args: CliArgs = {
    dataDir: values['data-dir'],
    hub: values.hub,
    token: values.token,
    tenant: values.tenant,
    json: values.json,
    prefix: values.prefix,
    purge: values.purge,
  };
  switch (command) {
    case 'enroll':
      return enrollCommand(args);
    case 'run':
      return runCommand(args);
    case 'status':
      return statusCommand(args);
    case 'doctor':
      return doctorCommand(args);
    case 'uninstall':
      return uninstallCommand(args);
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (isAgentError(err)) {
      process.stderr.write(`watchpost-agent: ${err.message}\n`);
      if (process.argv.includes('--json'))
        process.stdout.write(`${JSON.stringify({ code: err.code, message: err.message })}\n`);
      process.exitCode = err.exitCode;
    } else if (
      err instanceof UsageError ||
      (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`watchpost-agent: ${errorMessage(err)}\n\n${USAGE}\n`);
      process.exitCode = 64;
    } else {
      process.stderr.write(
        `watchpost-agent: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 1;
    }
  },
);
