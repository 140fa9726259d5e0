// Ed25519 signing rules. Every signature covers a domain-separation prefix so a signature made
// for one purpose can never be replayed as another.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

export const SignPurpose = {
  ENROLL: 'watchpost-enroll-v1\0',
  HELLO: 'watchpost-hello-v1\0',
  TASK: 'watchpost-task-v1\0',
  POLICY: 'watchpost-policy-v1\0',
  /** Agent builds: over (sha256 of the executable || version utf-8). */
  BUILD: 'watchpost-build-v1\0',
} as const;
export type SignPurpose = (typeof SignPurpose)[keyof typeof SignPurpose];

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function signedBytes(purpose: SignPurpose, ...parts: Uint8Array[]): Buffer {
  return Buffer.concat([Buffer.from(purpose, 'utf8'), ...parts]);
}

export function signPayload(privateKey: KeyObject, purpose: SignPurpose, ...parts: Uint8Array[]): Buffer {
  return sign(null, signedBytes(purpose, ...parts), privateKey);
}

/** Verifies against a raw 32-byte Ed25519 public key. Never throws: malformed input is false. */
export function verifyPayload(
  publicKeyRaw: Uint8Array,
  signature: Uint8Array,
  purpose: SignPurpose,
  ...parts: Uint8Array[]
): boolean {
  if (publicKeyRaw.length !== 32 || signature.length !== 64) return false;
  try {
    return verify(null, signedBytes(purpose, ...parts), publicKeyFromRaw(publicKeyRaw), signature);
  } catch {
    return false;
  }
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function rawPublicKey(key: KeyObject): Buffer {
  const pub = key.type === 'public' ? key : createPublicKey(key);
  const der = pub.export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32));
}

export interface Ed25519KeyPair {
  privateKeyPem: string;
  publicKeyRaw: Buffer;
}

export function generateEd25519(): Ed25519KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyRaw: rawPublicKey(publicKey),
  };
}

export function privateKeyFromPem(pem: string): KeyObject {
  return createPrivateKey(pem);
}
