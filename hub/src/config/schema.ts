// The hub's one typed config: declared once with defaults, validated at start. Every key can be
// set from the environment (see ENV_KEYS in load.ts); secrets may come from `<VAR>_FILE`.
import { DEFAULT_LIMITS } from '@watchpost/proto';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();

export const listenSchema = z
  .string()
  .regex(/^(127\.0\.0\.1|\[::1\]|::1|localhost|0\.0\.0\.0|\[::\]):\d{1,5}$/, 'expected HOST:PORT')
  .transform((s, ctx) => {
    const idx = s.lastIndexOf(':');
    const host = s.slice(0, idx).replace(/^\[|\]$/g, '');
    const port = Number(s.slice(idx + 1));
    if (port > 65535) ctx.addIssue({ code: 'custom', message: 'port out of range' });
    return { host, port };
  });

export const hubConfigSchema = z
  .object({
    dataDir: z.string().min(1),
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    listen: listenSchema,
    tlsCertFile: z.string().min(1).optional(),
    tlsKeyFile: z.string().min(1).optional(),
    consoleDir: z.string().min(1),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    nodeId: z.string().min(1),
    bodyLimitBytes: positiveInt,
    taskExpiryS: positiveInt,
    revocationCheckMs: positiveInt,
    /** Largest intel feed accepted by POST /api/v1/intel/imports (streamed to a temp file). */
    intelUploadMaxBytes: positiveInt,
    limits: z.object({
      maxFrameBytes: positiveInt,
      maxInFlight: positiveInt,
      maxMessagesPerSecond: positiveInt,
      handshakeTimeoutS: positiveInt,
      heartbeatIntervalS: positiveInt,
      maxBatchDelayMs: z.coerce.number().int().nonnegative(),
      maxBatch: positiveInt,
    }),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.tlsCertFile === undefined) !== (c.tlsKeyFile === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [c.tlsCertFile === undefined ? 'tlsCertFile' : 'tlsKeyFile'],
        message: 'WATCHPOST_TLS_CERT_FILE and WATCHPOST_TLS_KEY_FILE must be set together',
      });
    }
  });

export type HubConfig = z.output<typeof hubConfigSchema>;

export const DEFAULTS = {
  listen: '127.0.0.1:7080',
  logLevel: 'info',
  bodyLimitBytes: 1024 * 1024,
  taskExpiryS: 24 * 3600,
  revocationCheckMs: 2000,
  intelUploadMaxBytes: 4 * 1024 * 1024 * 1024,
  limits: DEFAULT_LIMITS,
} as const;
