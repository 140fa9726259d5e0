// `enroll`: new key pair, enrollment over the WebSocket, identity stored in the data dir.
import { rmSync } from 'node:fs';
import { agentError } from '../errors.js';
import { agentEndpoint } from '../connection/hubUrl.js';
import { enrollOverWebSocket } from '../identity/enroll.js';
import { writeIdentity } from '../identity/identity.js';
import type { CliArgs } from '../cli.js';
import { commandContext, printJson } from './common.js';

export async function enrollCommand(args: CliArgs): Promise<number> {
  if (!args.hub) throw agentError('USAGE', 'enroll needs --hub ws://HOST:PORT');
  if (!args.token) throw agentError('USAGE', 'enroll needs --token (from "watchpost-hub token create")');
  const url = agentEndpoint(args.hub);
  const { paths, log } = commandContext(args, true);
  log.info({ hub: url, tenant: args.tenant }, 'enrolling');
  const result = await enrollOverWebSocket({ url, token: args.token, tenant: args.tenant, log });
  // A new agent id starts a new seq stream: the old outbox, accepted tasks and policies belong to
  // the previous identity.
  rmSync(paths.state, { recursive: true, force: true });
  rmSync(paths.status, { force: true });
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
  log.info({ agentId: result.agentId, tenantId: result.tenantId }, 'enrolled');
  if (args.json) printJson({ agentId: result.agentId, tenantId: result.tenantId, hub: url });
  else process.stdout.write(`enrolled as agent ${result.agentId} (tenant ${result.tenantId}) with ${url}\n`);
  return 0;
}
