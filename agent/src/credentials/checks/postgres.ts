// PostgreSQL: "trust" (the server never asks for a password), then postgres:postgres and friends.
// Trust is told apart from an empty password by a password callback that records being asked.
import pg from 'pg';
import { maskSecret } from '../mask.js';
import { NMAP_SERVICES, POSTGRES_CREDENTIALS } from '../spec.js';
import type { AttemptOutcome, ServiceCheck } from '../types.js';
import { commonOutcome, errorCode, errorText, onAbort } from './outcome.js';

const INVALID_PASSWORD = '28P01';

class PasswordRequested extends Error {}

export const postgresCheck: ServiceCheck = {
  service: 'postgresql',
  nmapServices: NMAP_SERVICES.postgresql,
  credentials: POSTGRES_CREDENTIALS,
  async attempt(target, attempt, signal): Promise<AttemptOutcome> {
    const client = new pg.Client({
      host: target.host,
      port: target.port,
      user: attempt.username,
      database: 'postgres',
      password: () => {
        if (attempt.password === null) throw new PasswordRequested('server asked for a password');
        return attempt.password;
      },
      application_name: 'watchpost-credential-check',
    });
    client.on('error', () => undefined);
    const detach = onAbort(signal, () => {
      client.end().catch(() => undefined);
    });
    try {
      await client.connect();
      const result = await client.query<{ server_version: string }>('SHOW server_version');
      const version = result.rows[0]?.server_version ?? '?';
      const how =
        attempt.password === null
          ? 'accepted without a password (trust)'
          : `accepted with password ${maskSecret(attempt.password)}`;
      return { kind: 'success', proof: `login as ${attempt.username} ${how}; server_version=${version}` };
    } catch (err) {
      if (err instanceof PasswordRequested) return { kind: 'denied' };
      const common = commonOutcome(err);
      if (common) return common;
      const code = errorCode(err);
      if (code === INVALID_PASSWORD) return { kind: 'denied' };
      // 28000 invalid_authorization_specification (no pg_hba.conf entry, unknown role) and anything else will not
      // change with another password: stop.
      return { kind: 'unreachable', detail: errorText(err) };
    } finally {
      detach();
      client.end().catch(() => undefined);
    }
  },
};
