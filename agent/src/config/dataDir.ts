// Where the agent keeps its identity, outbox and status. See README "Data directory".
import { accessSync, constants, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const SYSTEM_DATA_DIR = '/var/lib/watchpost-agent';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['WATCHPOST_AGENT_DATA_DIR']) return env['WATCHPOST_AGENT_DATA_DIR'];
  if (process.getuid?.() === 0 && isWritableOrCreatable(SYSTEM_DATA_DIR)) return SYSTEM_DATA_DIR;
  return join(homedir(), '.local', 'state', 'watchpost-agent');
}

function isWritableOrCreatable(dir: string): boolean {
  try {
    accessSync(existsSync(dir) ? dir : '/var/lib', constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export interface DataPaths {
  root: string;
  config: string;
  identity: string;
  privateKey: string;
  state: string;
  status: string;
}

export function dataPaths(root: string): DataPaths {
  return {
    root,
    config: join(root, 'agent.json'),
    identity: join(root, 'identity.json'),
    privateKey: join(root, 'agent.key'),
    state: join(root, 'state'),
    status: join(root, 'status.json'),
  };
}
