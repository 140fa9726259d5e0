// Weak/default credential checks for services found by discovery. See README.md and spec.ts.
import { amqpCheck } from './checks/amqp.js';
import { httpBasicCheck } from './checks/http.js';
import { mqttCheck } from './checks/mqtt.js';
import { mysqlCheck } from './checks/mysql.js';
import { postgresCheck } from './checks/postgres.js';
import { redisCheck } from './checks/redis.js';
import { sshCheck } from './checks/ssh.js';
import { runChecks, type CredentialCheckOptions, type WeakCredential } from './run.js';
import type { CredentialTarget, ServiceCheck } from './types.js';

export type { CredentialTarget } from './types.js';
export type { CredentialCheckOptions } from './run.js';
export { maskSecret } from './mask.js';
export { CREDENTIAL_LIMITS } from './spec.js';

export const SERVICE_CHECKS: readonly ServiceCheck[] = [
  redisCheck,
  mysqlCheck,
  postgresCheck,
  amqpCheck,
  mqttCheck,
  sshCheck,
  httpBasicCheck,
];

/**
 * Tries the built-in default credentials against each target whose nmap service has a check.
 * Resolves with one WeakCredential per service that accepted one; rejects with `signal.reason`
 * when the signal aborts (between or during attempts).
 */
export async function runCredentialChecks(
  targets: CredentialTarget[],
  opts: CredentialCheckOptions,
): Promise<WeakCredential[]> {
  return runChecks(SERVICE_CHECKS, targets, opts);
}
