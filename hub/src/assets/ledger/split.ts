// Manual split (#3 "merges and splits are recorded in the asset's history"): a person moves MAC
// and address keys that do not belong to a host off its asset onto a new, registered asset.
// Open ports stay where they are: nobody can tell which host they belonged to; the next scan
// puts each port on the asset that holds the address it was seen on.
import { z } from 'zod';
import { hubError } from '../../platform/errors.js';
import { normaliseMac } from '../correlation.js';
import type { LedgerStore } from './store.js';

const keys = z.array(z.string().min(1).max(64)).max(64);
export const splitBody = z
  .object({ macs: keys.optional(), ips: keys.optional() })
  .strict()
  .refine((b) => (b.macs?.length ?? 0) + (b.ips?.length ?? 0) > 0, 'give at least one mac or ip');
export type SplitBody = z.infer<typeof splitBody>;

/** Splits the keys off `assetId` (already checked to be the tenant's) and returns the new id. */
export async function splitAsset(
  store: LedgerStore,
  tenantId: string,
  assetId: string,
  body: SplitBody,
  at: Date,
  source: string,
): Promise<string> {
  const row = await store.assetRow(tenantId, assetId);
  if (!row) throw hubError('NOT_FOUND', 'asset not found');
  const held = await store.identities(tenantId, assetId);
  const has = (kind: 'mac' | 'ip', value: string) => held.some((k) => k.kind === kind && k.value === value);
  const macs = [...new Set((body.macs ?? []).map((m) => normaliseMac(m) ?? m))];
  const ips = [...new Set(body.ips ?? [])];
  const missing = [...macs.filter((m) => !has('mac', m)), ...ips.filter((ip) => !has('ip', ip))];
  if (missing.length > 0) {
    throw hubError('VALIDATION_FAILED', `not keys of this asset: ${missing.join(', ')}`, { missing });
  }
  const zone = typeof row['zone'] === 'string' ? row['zone'] : 'internal';
  const id = await store.createAsset(tenantId, zone, ips[0] ?? macs[0] ?? 'split', at, 'manual');
  for (const m of macs) await store.moveIdentity(tenantId, assetId, id, 'mac', m);
  for (const ip of ips) await store.moveIdentity(tenantId, assetId, id, 'ip', ip);
  await store.addEvents(tenantId, assetId, at, source, [{ kind: 'split', detail: { to: id, macs, ips } }]);
  await store.addEvents(tenantId, id, at, source, [{ kind: 'split_from', detail: { assetId, macs, ips } }]);
  return id;
}
