// MySQL/MariaDB: root with an empty password, then a few defaults. Proof = SELECT VERSION().
import mysql from 'mysql2';
import { maskSecret } from '../mask.js';
import { MYSQL_CREDENTIALS, NMAP_SERVICES } from '../spec.js';
import type { AttemptOutcome, ServiceCheck } from '../types.js';
import { commonOutcome, errorCode, errorText, onAbort } from './outcome.js';

const ER_ACCESS_DENIED_ERROR = '1045';
const ER_HOST_IS_BLOCKED = '1129';

function errno(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('errno' in err)) return undefined;
  const value = err.errno;
  return typeof value === 'number' ? String(value) : undefined;
}

function classifyMysqlError(err: unknown): AttemptOutcome {
  const code = errno(err);
  if (code === ER_HOST_IS_BLOCKED) return { kind: 'lockout', detail: errorText(err) };
  const common = commonOutcome(err);
  if (common) return common;
  if (code === ER_ACCESS_DENIED_ERROR || errorCode(err) === 'ER_ACCESS_DENIED_ERROR')
    return { kind: 'denied' };
  // Anything else (ER_HOST_NOT_PRIVILEGED: this client may not log in as anyone, not MySQL at all)
  // will not change with another password.
  return { kind: 'unreachable', detail: errorText(err) };
}

export const mysqlCheck: ServiceCheck = {
  service: 'mysql',
  nmapServices: NMAP_SERVICES.mysql,
  credentials: MYSQL_CREDENTIALS,
  attempt(target, attempt, signal): Promise<AttemptOutcome> {
    const password = attempt.password ?? '';
    const conn = mysql.createConnection({
      host: target.host,
      port: target.port,
      user: attempt.username,
      password,
      connectTimeout: 60_000, // the runner's deadline applies; this only bounds a forgotten socket
    });
    const detach = onAbort(signal, () => conn.destroy());
    return new Promise<AttemptOutcome>((resolve) => {
      conn.on('error', () => undefined); // late errors after destroy()
      conn.query('SELECT VERSION() AS version', (err, rows) => {
        if (err) {
          resolve(classifyMysqlError(err));
          return;
        }
        const version = Array.isArray(rows)
          ? String((rows[0] as { version?: unknown } | undefined)?.version)
          : '?';
        const how = password === '' ? 'with an empty password' : `with password ${maskSecret(password)}`;
        resolve({
          kind: 'success',
          proof: `login as ${attempt.username} accepted ${how}; VERSION()=${version}`,
        });
      });
    }).finally(() => {
      detach();
      conn.destroy();
    });
  },
};
