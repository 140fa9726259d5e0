// The agent's identity in its data dir: Ed25519 private key (agent.key, mode 0600), agent id,
// tenant id, hub URL and the pinned hub public key (identity.json).
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { privateKeyFromPem } from '@watchpost/proto';
import { agentError } from '../errors.js';
import type { DataPaths } from '../config/dataDir.js';

const identityFileSchema = z
  .object({
    agentId: z.string().min(1),
    tenantId: z.string(),
    hubUrl: z.string().min(1),
    hubPublicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'base64 of 32 bytes'),
    enrolledAt: z.string(),
  })
  .strict();

export type IdentityFile = z.infer<typeof identityFileSchema>;

export interface Identity {
  agentId: string;
  tenantId: string;
  hubUrl: string;
  hubPublicKey: Buffer;
  privateKey: KeyObject;
}

export function writeIdentity(paths: DataPaths, file: IdentityFile, privateKeyPem: string): void {
  mkdirSync(paths.root, { recursive: true, mode: 0o700 });
  writeFileAtomic(paths.privateKey, privateKeyPem, 0o600);
  chmodSync(paths.privateKey, 0o600);
  writeFileAtomic(paths.identity, `${JSON.stringify(file, null, 2)}\n`, 0o644);
}

export function readIdentity(paths: DataPaths): Identity {
  let raw: string;
  try {
    raw = readFileSync(paths.identity, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw agentError(
        'NOT_ENROLLED',
        `not enrolled: ${paths.identity} does not exist (run "watchpost-agent enroll")`,
      );
    }
    throw err;
  }
  const parsed = identityFileSchema.safeParse(JSON.parse(raw));
  if (!parsed.success)
    throw agentError(
      'IDENTITY_INVALID',
      `${paths.identity}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  let privateKey: KeyObject;
  try {
    privateKey = privateKeyFromPem(readFileSync(paths.privateKey, 'utf8'));
  } catch (err) {
    throw agentError(
      'IDENTITY_INVALID',
      `${paths.privateKey}: cannot load private key (${(err as Error).message})`,
    );
  }
  return {
    agentId: parsed.data.agentId,
    tenantId: parsed.data.tenantId,
    hubUrl: parsed.data.hubUrl,
    hubPublicKey: Buffer.from(parsed.data.hubPublicKey, 'base64'),
    privateKey,
  };
}

export function readIdentityFile(paths: DataPaths): IdentityFile | undefined {
  try {
    const parsed = identityFileSchema.safeParse(JSON.parse(readFileSync(paths.identity, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Write-to-temp then rename, so a reader never sees a half-written file. */
export function writeFileAtomic(path: string, content: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, path);
}
