// Structured logs: pino, one JSON event per line, to stderr (stdout is reserved for the CLI's
// machine-readable output and the `listening` line). Never log tokens or keys.
import pino, { type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { app: 'watchpost-hub' },
      redact: {
        paths: ['token', '*.token', 'authorization', '*.authorization', 'privateKeyPem'],
        remove: true,
      },
    },
    // Synchronous: the hub logs per connection and per batch failure, never per message, and a
    // line written just before process.exit must not be lost.
    pino.destination({ fd: 2, sync: true }),
  );
}
