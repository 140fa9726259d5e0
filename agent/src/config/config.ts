// The agent's one typed config: D/agent.json (optional, strict) + env overrides, validated at
// start. A bad value fails fast with the offending key named.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { agentError } from '../errors.js';

const cidr = z.string().refine(isCidr, { message: 'expected an IPv4/IPv6 CIDR such as 127.0.0.1/32' });

export const configSchema = z
  .object({
    /** Networks the agent may scan (enforced when scans land, #3). */
    scope: z.array(cidr).default(['127.0.0.1/32']),
    /** Disk budget of the outbox; when full, collection pauses (nothing is dropped). */
    outboxBudgetBytes: z.number().int().min(4096).default(268_435_456),
    /** Seconds between scheduled inventory reports. */
    inventoryIntervalS: z.number().int().min(1).default(3600),
    /** Heartbeat interval; when unset the hub's Welcome decides. */
    heartbeatIntervalS: z.number().int().min(1).optional(),
    /** Cap of the reconnect backoff (starts at 1 s, full jitter). */
    backoffMaxMs: z.number().int().min(10).default(60_000),
    /** Seconds between status.json refreshes. */
    statusIntervalS: z.number().int().min(1).default(2),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Configuration-change monitoring limits (what is watched comes from the policies). */
    drift: z
      .object({
        /** Most files (and directories) one snapshot covers; the rest is left out and logged. */
        maxFiles: z.number().int().min(1).max(1_000_000).default(100_000),
        /** Text files up to this size keep their content locally so a change carries a diff. */
        maxFileBytesForDiff: z.number().int().min(0).max(1_048_576).default(65_536),
        /** Raw change events of one path within this quiet time become one DriftChange. */
        coalesceMs: z.number().int().min(10).max(600_000).default(2000),
        /** Real-time (inotify) watching of the policies' `watch.realtime` paths. */
        realtime: z.boolean().default(true),
        /** Most directories watched in real time (each costs one inotify watch). */
        maxWatchers: z.number().int().min(1).max(65_536).default(1024),
      })
      .strict()
      .prefault({}),
    /** Baseline policy evaluation. */
    baseline: z
      .object({
        /** Policy `command` rules run only when true; otherwise they are not_applicable. */
        allowCommands: z.boolean().default(false),
        /** Prefix host paths are read under (a mounted host filesystem; '/' normally). */
        root: z.string().min(1).default('/'),
        /** Time limit of one policy command. */
        commandTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type AgentConfig = z.infer<typeof configSchema>;

const ENV_OVERRIDES: ReadonlyArray<{ env: string; key: keyof AgentConfig; kind: 'int' | 'string' }> = [
  { env: 'WATCHPOST_AGENT_OUTBOX_BUDGET_BYTES', key: 'outboxBudgetBytes', kind: 'int' },
  { env: 'WATCHPOST_AGENT_INVENTORY_INTERVAL_S', key: 'inventoryIntervalS', kind: 'int' },
  { env: 'WATCHPOST_AGENT_HEARTBEAT_INTERVAL_S', key: 'heartbeatIntervalS', kind: 'int' },
  { env: 'WATCHPOST_AGENT_BACKOFF_MAX_MS', key: 'backoffMaxMs', kind: 'int' },
  { env: 'WATCHPOST_AGENT_LOG_LEVEL', key: 'logLevel', kind: 'string' },
];

/** Validates raw config (file content merged with env); throws CONFIG_INVALID naming the key. */
export function parseConfig(
  fileValue: unknown,
  env: NodeJS.ProcessEnv = process.env,
  source = 'agent.json',
): AgentConfig {
  if (
    fileValue !== undefined &&
    (typeof fileValue !== 'object' || fileValue === null || Array.isArray(fileValue))
  ) {
    throw agentError('CONFIG_INVALID', `${source}: expected a JSON object`);
  }
  const merged: Record<string, unknown> = { ...(fileValue as Record<string, unknown> | undefined) };
  for (const o of ENV_OVERRIDES) {
    const raw = env[o.env];
    if (raw === undefined || raw === '') continue;
    if (o.kind === 'int') {
      if (!/^-?\d+$/.test(raw.trim()))
        throw agentError('CONFIG_INVALID', `${o.env} (${o.key}): expected an integer, got "${raw}"`, {
          key: o.key,
        });
      merged[o.key] = Number(raw.trim());
    } else {
      merged[o.key] = raw.trim();
    }
  }
  const result = configSchema.safeParse(merged);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw agentError('CONFIG_INVALID', `${source}: invalid config`);
  const key =
    issue.code === 'unrecognized_keys'
      ? issue.keys.join(', ')
      : issue.path.map((p) => String(p)).join('.') || '(root)';
  const what =
    issue.code === 'unrecognized_keys'
      ? `unknown key "${key}"`
      : `invalid value for "${key}": ${issue.message}`;
  throw agentError('CONFIG_INVALID', `${source}: ${what}`, { key });
}

export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): AgentConfig {
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw agentError('CONFIG_INVALID', `${path}: ${(err as Error).message}`);
  }
  let value: unknown;
  if (text !== undefined) {
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw agentError('CONFIG_INVALID', `${path}: not valid JSON (${(err as Error).message})`);
    }
  }
  return parseConfig(value, env, path);
}

function isCidr(value: string): boolean {
  const m = /^(.+)\/(\d{1,3})$/.exec(value);
  if (!m || m[1] === undefined || m[2] === undefined) return false;
  const prefix = Number(m[2]);
  const ip = m[1];
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return prefix <= 32 && ip.split('.').every((o) => Number(o) <= 255);
  return ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip) && prefix <= 128;
}
