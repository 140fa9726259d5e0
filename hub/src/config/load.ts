// Builds the HubConfig from defaults, environment and CLI flags (flags win). A bad value fails
// fast with the offending key and its environment variable named.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hubError } from '../platform/errors.js';
import { DEFAULTS, hubConfigSchema, type HubConfig } from './schema.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface ConfigFlags {
  dataDir?: string | undefined;
  listen?: string | undefined;
}

/** Config key → environment variable. */
export const ENV_KEYS = {
  dataDir: 'WATCHPOST_DATA_DIR',
  databaseUrl: 'WATCHPOST_DATABASE_URL',
  listen: 'WATCHPOST_LISTEN',
  tlsCertFile: 'WATCHPOST_TLS_CERT_FILE',
  tlsKeyFile: 'WATCHPOST_TLS_KEY_FILE',
  consoleDir: 'WATCHPOST_CONSOLE_DIR',
  logLevel: 'WATCHPOST_LOG_LEVEL',
  nodeId: 'WATCHPOST_NODE_ID',
  bodyLimitBytes: 'WATCHPOST_BODY_LIMIT_BYTES',
  taskExpiryS: 'WATCHPOST_TASK_EXPIRY_S',
  revocationCheckMs: 'WATCHPOST_REVOCATION_CHECK_MS',
  intelUploadMaxBytes: 'WATCHPOST_INTEL_UPLOAD_MAX_BYTES',
  'limits.maxFrameBytes': 'WATCHPOST_MAX_FRAME_BYTES',
  'limits.maxInFlight': 'WATCHPOST_MAX_IN_FLIGHT',
  'limits.maxMessagesPerSecond': 'WATCHPOST_MAX_MESSAGES_PER_SECOND',
  'limits.handshakeTimeoutS': 'WATCHPOST_HANDSHAKE_TIMEOUT_S',
  'limits.heartbeatIntervalS': 'WATCHPOST_HEARTBEAT_INTERVAL_S',
  'limits.maxBatchDelayMs': 'WATCHPOST_MAX_BATCH_DELAY_MS',
  'limits.maxBatch': 'WATCHPOST_MAX_BATCH',
} as const;

/** Secrets may be given as a file path in `<VAR>_FILE` (e.g. a mounted secret). */
const SECRET_KEYS = new Set<string>(['WATCHPOST_DATABASE_URL']);

function envValue(env: Env, name: string): string | undefined {
  const direct = env[name];
  if (direct !== undefined && direct !== '') return direct;
  const file = SECRET_KEYS.has(name) ? env[`${name}_FILE`] : undefined;
  if (file !== undefined && file !== '') return readFileSync(file, 'utf8').trim();
  return undefined;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function loadConfig(flags: ConfigFlags = {}, env: Env = process.env): HubConfig {
  const e = (k: keyof typeof ENV_KEYS): string | undefined => envValue(env, ENV_KEYS[k]);
  const dataDir = resolve(flags.dataDir ?? e('dataDir') ?? './data');
  const withUndefined: Record<string, unknown> = {
    dataDir,
    databaseUrl: e('databaseUrl'),
    listen: flags.listen ?? e('listen') ?? DEFAULTS.listen,
    tlsCertFile: e('tlsCertFile'),
    tlsKeyFile: e('tlsKeyFile'),
    consoleDir: resolve(e('consoleDir') ?? join(repoRoot, 'console', 'dist')),
    logLevel: e('logLevel') ?? DEFAULTS.logLevel,
    nodeId: e('nodeId') ?? defaultNodeId(dataDir),
    bodyLimitBytes: e('bodyLimitBytes') ?? DEFAULTS.bodyLimitBytes,
    taskExpiryS: e('taskExpiryS') ?? DEFAULTS.taskExpiryS,
    revocationCheckMs: e('revocationCheckMs') ?? DEFAULTS.revocationCheckMs,
    intelUploadMaxBytes: e('intelUploadMaxBytes') ?? DEFAULTS.intelUploadMaxBytes,
    limits: {
      maxFrameBytes: e('limits.maxFrameBytes') ?? DEFAULTS.limits.maxFrameBytes,
      maxInFlight: e('limits.maxInFlight') ?? DEFAULTS.limits.maxInFlight,
      maxMessagesPerSecond: e('limits.maxMessagesPerSecond') ?? DEFAULTS.limits.maxMessagesPerSecond,
      handshakeTimeoutS: e('limits.handshakeTimeoutS') ?? DEFAULTS.limits.handshakeTimeoutS,
      heartbeatIntervalS: e('limits.heartbeatIntervalS') ?? DEFAULTS.limits.heartbeatIntervalS,
      maxBatchDelayMs: e('limits.maxBatchDelayMs') ?? DEFAULTS.limits.maxBatchDelayMs,
      maxBatch: e('limits.maxBatch') ?? DEFAULTS.limits.maxBatch,
    },
  };
  const raw = Object.fromEntries(Object.entries(withUndefined).filter(([, v]) => v !== undefined));
  const parsed = hubConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join('.') ?? '?';
    const envName = (ENV_KEYS as Record<string, string>)[key];
    throw hubError(
      'VALIDATION_FAILED',
      `invalid config ${key}${envName ? ` (${envName})` : ''}: ${issue?.message ?? 'invalid'}`,
      { key },
    );
  }
  return parsed.data;
}

/** Stable per data dir and host, so a restarted node can reclaim the agents it owned. */
function defaultNodeId(dataDir: string): string {
  return `${hostname()}-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`;
}
