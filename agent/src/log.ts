// pino to stderr (stdout is reserved for command output). Never log tokens or keys.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino(
    { level, base: { svc: 'watchpost-agent', pid: process.pid }, redact: ['token', '*.token', 'privateKey'] },
    pino.destination({ fd: 2, sync: true }),
  );
}
