// Decoding with stable failure codes, and Long <-> bigint/number helpers (uint64 fields decode
// as Long; see PROTOCOL.md).
import Long from 'long';
import { watchpost } from '../gen/watchpost.js';

export type AgentEnvelope = watchpost.v1.AgentEnvelope;
export type HubEnvelope = watchpost.v1.HubEnvelope;

export class DecodeError extends Error {
  readonly code = 'BAD_FRAME';
}

export function decodeAgentEnvelope(bytes: Uint8Array): AgentEnvelope {
  try {
    return watchpost.v1.AgentEnvelope.decode(bytes);
  } catch (err) {
    throw new DecodeError(`undecodable agent envelope: ${(err as Error).message}`);
  }
}

export function decodeHubEnvelope(bytes: Uint8Array): HubEnvelope {
  try {
    return watchpost.v1.HubEnvelope.decode(bytes);
  } catch (err) {
    throw new DecodeError(`undecodable hub envelope: ${(err as Error).message}`);
  }
}

export function encodeAgentEnvelope(env: watchpost.v1.AgentEnvelope.$Properties): Uint8Array {
  return watchpost.v1.AgentEnvelope.encode(env).finish();
}

export function encodeHubEnvelope(env: watchpost.v1.HubEnvelope.$Properties): Uint8Array {
  return watchpost.v1.HubEnvelope.encode(env).finish();
}

export type LongLike = Long | number | bigint | string | null | undefined;

/** uint64/int64 to bigint (0n for absent). */
export function toBigInt(v: LongLike): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'string') return BigInt(v);
  return BigInt(v.toString());
}

/** uint64/int64 to a JS number; throws when the value is not exactly representable. */
export function toSafeNumber(v: LongLike): number {
  const b = toBigInt(v);
  if (b > BigInt(Number.MAX_SAFE_INTEGER) || b < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`integer ${b} is outside the safe range`);
  }
  return Number(b);
}

export function toLong(v: bigint | number, unsigned = true): Long {
  return Long.fromString(BigInt(v).toString(), unsigned);
}
