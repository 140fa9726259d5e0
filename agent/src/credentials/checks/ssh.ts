// SSH: a few device/image defaults with password authentication only. Proof = the server ident.
import { Client } from 'ssh2';
import { maskSecret } from '../mask.js';
import { NMAP_SERVICES, SSH_CREDENTIALS } from '../spec.js';
import type { AttemptOutcome, ServiceCheck } from '../types.js';
import { commonOutcome, errorText, onAbort } from './outcome.js';

export const sshCheck: ServiceCheck = {
  service: 'ssh',
  nmapServices: NMAP_SERVICES.ssh,
  credentials: SSH_CREDENTIALS,
  attempt(target, attempt, signal): Promise<AttemptOutcome> {
    const client = new Client();
    const password = attempt.password ?? '';
    let serverIdent = '?';
    const detach = onAbort(signal, () => client.destroy());
    return new Promise<AttemptOutcome>((resolve) => {
      client.on('ready', () => {
        resolve({
          kind: 'success',
          proof: `password login as ${attempt.username} with ${maskSecret(password)} accepted; server=${serverIdent}`,
        });
      });
      client.on('error', (err: Error & { level?: string }) => {
        const common = commonOutcome(err);
        if (common) return resolve(common);
        if (err.level === 'client-authentication') return resolve({ kind: 'denied' });
        resolve({ kind: 'unreachable', detail: errorText(err) });
      });
      client.on('close', () => resolve({ kind: 'unreachable', detail: 'connection closed' }));
      client.connect({
        host: target.host,
        port: target.port,
        username: attempt.username,
        password,
        tryKeyboard: false,
        readyTimeout: 60_000,
        // Host keys are irrelevant here: we only learn whether the server accepts a default.
        hostVerifier: () => true,
        // Only this one password: a server counting failures must see a single attempt per login.
        authHandler: ['password'],
        debug: (line: string) => {
          const ident = /Remote ident: '([^']*)'/.exec(line)?.[1];
          if (ident !== undefined) serverIdent = ident;
        },
      });
    }).finally(() => {
      detach();
      client.end();
      client.destroy();
    });
  },
};
