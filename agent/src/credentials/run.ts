// The runner: groups targets by host, checks hosts with bounded concurrency and each host's
// services one attempt at a time, paced per host. Per service it stops at the first success, at a
// lockout signal, or when the service stops answering. Passwords never leave this module: results
// carry masked proofs and every server/library text is redacted before it is logged.
import type { watchpost } from '@watchpost/proto';
import type { Logger } from 'pino';
import { runAttempt } from './attempt.js';
import { redactSecrets } from './mask.js';
import { HostPacer } from './pacer.js';
import { CREDENTIAL_LIMITS, type DefaultCredential } from './spec.js';
import type { Attempt, AttemptOutcome, CredentialTarget, ServiceCheck } from './types.js';

export type WeakCredential = watchpost.v1.WeakCredential.$Properties;

export interface CredentialCheckOptions {
  perHostIntervalMs?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
  logger?: Logger;
}

interface RunContext {
  pacer: HostPacer;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  log: Logger | undefined;
}

export function defaultPlan(credentials: readonly DefaultCredential[]): Attempt[] {
  return credentials.map(({ username, password, method }) => ({ username, password, method }));
}

export function findCheck(
  checks: readonly ServiceCheck[],
  target: CredentialTarget,
): ServiceCheck | undefined {
  const service = target.service.toLowerCase();
  return checks.find((check) => check.nmapServices.includes(service));
}

export async function runChecks(
  checks: readonly ServiceCheck[],
  targets: readonly CredentialTarget[],
  opts: CredentialCheckOptions,
): Promise<WeakCredential[]> {
  opts.signal?.throwIfAborted();
  const ctx: RunContext = {
    pacer: new HostPacer(opts.perHostIntervalMs ?? CREDENTIAL_LIMITS.perHostIntervalMs),
    timeoutMs: opts.timeoutMs ?? CREDENTIAL_LIMITS.timeoutMs,
    signal: opts.signal,
    log: opts.logger,
  };
  const byHost = new Map<string, CredentialTarget[]>();
  for (const target of targets) {
    if (!findCheck(checks, target)) continue;
    const list = byHost.get(target.host) ?? [];
    if (list.some((seen) => seen.port === target.port)) continue; // one check per host:port
    list.push(target);
    byHost.set(target.host, list);
  }
  const hosts = [...byHost.values()];
  const findings: WeakCredential[] = [];
  const worker = async (): Promise<void> => {
    for (let next = hosts.shift(); next; next = hosts.shift()) {
      for (const target of next) {
        const check = findCheck(checks, target);
        if (check) findings.push(...(await checkService(check, target, ctx)));
      }
    }
  };
  const workers = Array.from({ length: Math.min(CREDENTIAL_LIMITS.hostConcurrency, hosts.length) }, worker);
  await Promise.all(workers);
  ctx.log?.info({ targets: targets.length, findings: findings.length }, 'credential checks finished');
  return findings;
}

async function checkService(
  check: ServiceCheck,
  target: CredentialTarget,
  ctx: RunContext,
): Promise<WeakCredential[]> {
  const attempts = (check.plan ?? defaultPlan)(check.credentials);
  const secrets = check.credentials.flatMap((cred) => (cred.password ? [cred.password] : []));
  const where = { host: target.host, port: target.port, service: check.service };
  const skipped = new Set<string>();
  let tried = 0;
  for (const attempt of attempts) {
    if (attempt.group !== undefined && skipped.has(attempt.group)) continue;
    await ctx.pacer.wait(target.host, ctx.signal);
    tried += 1;
    let outcome: AttemptOutcome;
    try {
      outcome = await runAttempt(check, target, attempt, ctx.timeoutMs, ctx.signal);
    } finally {
      ctx.pacer.done(target.host);
    }
    switch (outcome.kind) {
      case 'denied':
        continue;
      case 'not_applicable':
        if (attempt.group !== undefined) skipped.add(attempt.group);
        continue;
      case 'success': {
        if (attempt.method === 'probe') continue;
        const finding: WeakCredential = {
          service: check.service,
          port: target.port,
          protocol: 'tcp',
          username: attempt.username,
          method: attempt.method,
          proof: outcome.proof, // built by the check from masked secrets and server data only
          path: attempt.group ?? '',
        };
        ctx.log?.warn(
          { ...where, username: attempt.username, method: attempt.method, attempts: tried },
          'weak credential found',
        );
        return [finding];
      }
      case 'lockout':
      case 'unreachable':
        ctx.log?.info(
          { ...where, attempts: tried, reason: outcome.kind, detail: redactSecrets(outcome.detail, secrets) },
          'credential check stopped',
        );
        return [];
    }
  }
  ctx.log?.debug({ ...where, attempts: tried }, 'no default credential accepted');
  return [];
}
