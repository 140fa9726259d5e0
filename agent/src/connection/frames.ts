// Helpers for the unsequenced frames the agent sends itself (seq 0).
import { randomUUID } from 'node:crypto';
import { encodeAgentEnvelope, toLong, type watchpost } from '@watchpost/proto';
import type { RawData } from 'ws';

export function controlFrame(
  body: Omit<watchpost.v1.IAgentEnvelope, 'seq' | 'messageId' | 'createdAtMs'>,
): Uint8Array {
  return encodeAgentEnvelope({
    ...body,
    seq: toLong(0),
    messageId: randomUUID(),
    createdAtMs: toLong(Date.now(), false),
  });
}

export function rawToBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
