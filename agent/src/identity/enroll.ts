// Enrollment connection: Challenge → Enroll{token, public key, proof} → Enrolled, then close.
import { hostname } from 'node:os';
import { WebSocket } from 'ws';
import {
  CloseCode,
  DEFAULT_LIMITS,
  decodeHubEnvelope,
  generateEd25519,
  privateKeyFromPem,
  signPayload,
  SignPurpose,
} from '@watchpost/proto';
import { agentError, errorMessage } from '../errors.js';
import { controlFrame, rawToBuffer } from '../connection/frames.js';
import type { Logger } from '../log.js';
import { AGENT_VERSION } from '../version.js';

export interface EnrollOptions {
  url: string;
  token: string;
  tenant?: string | undefined;
  timeoutMs?: number;
  log: Logger;
}

export interface EnrollResult {
  agentId: string;
  tenantId: string;
  hubPublicKey: Buffer;
  privateKeyPem: string;
}

export function enrollOverWebSocket(opts: EnrollOptions): Promise<EnrollResult> {
  const keys = generateEd25519();
  const privateKey = privateKeyFromPem(keys.privateKeyPem);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(opts.url, {
      maxPayload: DEFAULT_LIMITS.maxFrameBytes,
      handshakeTimeout: opts.timeoutMs ?? 15_000,
    });
    let result: EnrollResult | undefined;
    let rejectReason: string | undefined;
    let settled = false;
    const finish = (err: Error | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else if (result) resolve(result);
    };
    const timer = setTimeout(() => {
      ws.terminate();
      finish(agentError('ENROLLMENT_FAILED', `enrollment timed out after ${opts.timeoutMs ?? 15_000} ms`));
    }, opts.timeoutMs ?? 15_000);

    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      let env;
      try {
        env = decodeHubEnvelope(rawToBuffer(data));
      } catch (err) {
        opts.log.warn({ err: errorMessage(err) }, 'undecodable frame from hub during enrollment');
        ws.close(CloseCode.BAD_FRAME);
        return;
      }
      if (env.challenge) {
        const signature = signPayload(
          privateKey,
          SignPurpose.ENROLL,
          env.challenge.nonce ?? new Uint8Array(),
        );
        ws.send(
          controlFrame({
            enroll: {
              token: opts.token,
              publicKey: keys.publicKeyRaw,
              signature,
              hostname: hostname(),
              version: AGENT_VERSION,
              tenant: opts.tenant ?? '',
            },
          }),
        );
      } else if (env.enrolled) {
        const hubKey = Buffer.from(env.enrolled.hubPublicKey ?? new Uint8Array());
        if (!env.enrolled.agentId || hubKey.length !== 32) {
          finish(
            agentError('ENROLLMENT_FAILED', 'hub answered Enrolled without an agent id or a 32-byte hub key'),
          );
          ws.close(CloseCode.NORMAL);
          return;
        }
        result = {
          agentId: env.enrolled.agentId,
          tenantId: env.enrolled.tenantId ?? '',
          hubPublicKey: hubKey,
          privateKeyPem: keys.privateKeyPem,
        };
        ws.close(CloseCode.NORMAL);
        finish(undefined);
      } else if (env.reject) {
        rejectReason = `${env.reject.code}: ${env.reject.reason}`;
      }
    });
    ws.on('close', (code, reason) => {
      if (result) return finish(undefined);
      const why = rejectReason ?? (reason.toString() || 'no reason given');
      if (code === CloseCode.ENROLLMENT_REFUSED) {
        finish(
          agentError('ENROLLMENT_REFUSED', `enrollment refused by the hub (close ${code}): ${why}`, {
            closeCode: code,
          }),
        );
      } else {
        finish(
          agentError('ENROLLMENT_FAILED', `hub closed the enrollment connection (close ${code}): ${why}`, {
            closeCode: code,
          }),
        );
      }
    });
    ws.on('error', (err) =>
      finish(agentError('ENROLLMENT_FAILED', `cannot reach the hub at ${opts.url}: ${err.message}`)),
    );
  });
}
