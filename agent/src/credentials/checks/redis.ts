// Redis: no AUTH at all first, then AUTH with the default-user passwords. Proof = INFO server version.
import { Redis } from 'ioredis';
import { NMAP_SERVICES, REDIS_CREDENTIALS } from '../spec.js';
import { maskSecret } from '../mask.js';
import type { AttemptOutcome, ServiceCheck } from '../types.js';
import { commonOutcome, errorText, onAbort } from './outcome.js';

export function parseRedisVersion(info: string): string | undefined {
  return /^redis_version:(\S+)/m.exec(info)?.[1];
}

export const redisCheck: ServiceCheck = {
  service: 'redis',
  nmapServices: NMAP_SERVICES.redis,
  credentials: REDIS_CREDENTIALS,
  async attempt(target, attempt, signal): Promise<AttemptOutcome> {
    const client = new Redis({
      host: target.host,
      port: target.port,
      lazyConnect: true,
      enableReadyCheck: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      reconnectOnError: () => false,
      autoResubscribe: false,
    });
    client.on('error', () => undefined); // surfaced through the awaited calls below
    const detach = onAbort(signal, () => client.disconnect());
    try {
      await client.connect();
      if (attempt.password !== null) await client.auth(attempt.password);
      const info = await client.info('server');
      const version = parseRedisVersion(info);
      if (version === undefined) return { kind: 'unreachable', detail: 'INFO reply without redis_version' };
      const how =
        attempt.password === null
          ? 'AUTH not required'
          : `AUTH accepted with password ${maskSecret(attempt.password)}`;
      return { kind: 'success', proof: `${how}; INFO server redis_version=${version}` };
    } catch (err) {
      const common = commonOutcome(err);
      if (common) return common;
      const text = errorText(err);
      if (/^(NOAUTH|WRONGPASS)|invalid password|invalid username-password/i.test(text))
        return { kind: 'denied' };
      return { kind: 'unreachable', detail: text };
    } finally {
      detach();
      client.disconnect();
    }
  },
};
