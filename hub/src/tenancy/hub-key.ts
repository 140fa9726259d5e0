// The hub's Ed25519 identity: generated on first start and kept in the database (hub_keys), so
// every hub node sharing one PostgreSQL signs with the same key. Agents pin its public half.
import type { KeyObject } from 'node:crypto';
import { generateEd25519, privateKeyFromPem } from '@watchpost/proto';
import type { TenancyRepository } from './repository.js';

export interface HubIdentity {
  privateKey: KeyObject;
  publicKeyRaw: Buffer;
}

const PRIMARY = 'primary';

export async function loadOrCreateHubKey(repo: TenancyRepository, now: Date): Promise<HubIdentity> {
  let row = await repo.findHubKey(PRIMARY);
  if (!row) {
    const kp = generateEd25519();
    await repo.insertHubKeyIfAbsent({
      id: PRIMARY,
      privateKeyPem: kp.privateKeyPem,
      publicKeyRaw: kp.publicKeyRaw.toString('base64'),
      createdAt: now,
    });
    row = await repo.findHubKey(PRIMARY);
  }
  if (!row) throw new Error('hub key missing after insert');
  return {
    privateKey: privateKeyFromPem(row.privateKeyPem),
    publicKeyRaw: Buffer.from(row.publicKeyRaw, 'base64'),
  };
}
