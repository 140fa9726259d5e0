// HTTP basic auth on common admin paths. Each path is probed without credentials first: only a
// 401 with a Basic challenge makes the path a candidate, so an open page is never a finding.
// node:http(s) rather than fetch: appliance UIs mostly have self-signed certificates, which
// fetch cannot be told to accept without an extra dependency.
import http from 'node:http';
import https from 'node:https';
import { maskSecret } from '../mask.js';
import { HTTP_BASIC_CREDENTIALS, HTTP_BASIC_PATHS, NMAP_SERVICES, type DefaultCredential } from '../spec.js';
import type { Attempt, AttemptOutcome, CredentialTarget, ServiceCheck } from '../types.js';
import { commonOutcome, errorText } from './outcome.js';

const LOCKOUT_STATUS = new Set([423, 429]);

export function planHttpAttempts(credentials: readonly DefaultCredential[]): Attempt[] {
  return HTTP_BASIC_PATHS.flatMap((path): Attempt[] => [
    { username: '', password: null, method: 'probe', group: path },
    ...credentials.map(({ username, password, method }) => ({ username, password, method, group: path })),
  ]);
}

function isTls(target: CredentialTarget): boolean {
  return target.service.startsWith('https') || target.service.startsWith('ssl');
}

interface Reply {
  status: number;
  challenge: string;
}

function request(
  target: CredentialTarget,
  path: string,
  auth: string | null,
  signal: AbortSignal,
): Promise<Reply> {
  const lib = isTls(target) ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      {
        host: target.host,
        port: target.port,
        path,
        method: 'GET',
        signal,
        headers: { 'user-agent': 'watchpost-credential-check', ...(auth ? { authorization: auth } : {}) },
        ...(isTls(target) ? { rejectUnauthorized: false } : {}),
      },
      (res) => {
        res.resume();
        const header = res.headers['www-authenticate'];
        resolve({
          status: res.statusCode ?? 0,
          challenge: Array.isArray(header) ? header.join(', ') : (header ?? ''),
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export const httpBasicCheck: ServiceCheck = {
  service: 'http-basic',
  nmapServices: NMAP_SERVICES['http-basic'],
  credentials: HTTP_BASIC_CREDENTIALS,
  plan: planHttpAttempts,
  async attempt(target, attempt, signal): Promise<AttemptOutcome> {
    const path = attempt.group ?? '/';
    const password = attempt.password ?? '';
    const auth =
      attempt.method === 'probe'
        ? null
        : `Basic ${Buffer.from(`${attempt.username}:${password}`, 'utf8').toString('base64')}`;
    try {
      const reply = await request(target, path, auth, signal);
      if (LOCKOUT_STATUS.has(reply.status))
        return { kind: 'lockout', detail: `HTTP ${reply.status} on ${path}` };
      if (attempt.method === 'probe') {
        return reply.status === 401 && /\bbasic\b/i.test(reply.challenge)
          ? { kind: 'denied' }
          : { kind: 'not_applicable' };
      }
      if (reply.status >= 200 && reply.status < 300) {
        return {
          kind: 'success',
          proof: `HTTP ${reply.status} on ${path} with Basic ${attempt.username}:${maskSecret(password)} (401 without)`,
        };
      }
      return reply.status === 401 ? { kind: 'denied' } : { kind: 'not_applicable' };
    } catch (err) {
      return commonOutcome(err) ?? { kind: 'unreachable', detail: errorText(err) };
    }
  },
};
