// watchpost-hub CLI entry: `serve`, `migrate`, `tenant`, `token`, `apitoken`, `agent`.
// Usage and validation errors exit 2 with a message on stderr; --json output goes to stdout.
import { loadConfig } from './config/index.js';
import { isHubError } from './platform/errors.js';
import { createLogger } from './platform/log.js';
import { parse, UsageError } from './cli/args.js';
import {
  agentCommand,
  apitokenCommand,
  migrateCommand,
  tenantCommand,
  tokenCommand,
} from './cli/commands.js';
import { startServer } from './server.js';
import { intelCommand } from './intel/index.js';
import { agentBuildCommand } from './builds/index.js';
import { userCommand } from './cli/user-command.js';
import { importCommand, IMPORT_USAGE } from './imports/index.js';
import { policyCommand } from './policies/cli.js';

const USAGE = `usage: watchpost-hub <command> [--data-dir DIR] [--json]
  serve [--listen 127.0.0.1:7080]
  migrate
  tenant create NAME | tenant list | tenant scope set NAME CIDR[,CIDR...] | tenant scope show NAME
  token create --tenant NAME [--expires 24h] [--uses N] [--hub-url URL] | token list --tenant NAME | token revoke --tenant NAME ID
  apitoken create --tenant NAME [--name LABEL]
  agent list --tenant NAME | agent revoke --tenant NAME AGENT_ID
  agent-build add FILE --version V [--platform linux-x64|deb-amd64] | agent-build list
  user create EMAIL --role ROLE [--tenant NAME] [--password-file F] | user list | user assign EMAIL --tenant NAME
  policy list --tenant NAME | policy import FILE --tenant NAME [--sca] | policy validate FILE | policy assign ID --tenant NAME [--all] [--agents ID,...] [--tags TAG,...]
  ${IMPORT_USAGE}
  intel import PATH... [--format nvd2|nvd1|cve5|osv|osv-zip|osv-tar|debian-tracker|kev|epss] | intel status`;

async function serve(args: string[]): Promise<void> {
  const a = parse(args, { listen: { type: 'string' } });
  const config = loadConfig({ dataDir: a.str('data-dir'), listen: a.str('listen') });
  const log = createLogger(config.logLevel);
  const hub = await startServer(config, log);
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: hub.url, wsUrl: hub.wsUrl })}\n`);
  const onSignal = (sig: string) => {
    log.info({ signal: sig }, 'signal received');
    hub
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  serve,
  migrate: migrateCommand,
  tenant: tenantCommand,
  token: tokenCommand,
  apitoken: apitokenCommand,
  agent: agentCommand,
  user: userCommand,
  policy: policyCommand,
  'agent-build': agentBuildCommand,
  import: importCommand,
  intel: intelCommand,
};

export async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  const run = cmd === undefined ? undefined : COMMANDS[cmd];
  if (!run) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = cmd === '--help' || cmd === 'help' ? 0 : 2;
    return;
  }
  try {
    await run(rest);
  } catch (err) {
    if (err instanceof UsageError || (isHubError(err) && err.status < 500)) {
      const code = isHubError(err) ? err.code : 'USAGE';
      process.stderr.write(`error ${code}: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

await main(process.argv.slice(2));
