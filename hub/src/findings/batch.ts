// upsertMany: the same rules as upsert (merge.ts) for many observations in one transaction, with
// set-based reads and multi-row inserts — what scanner imports of thousands of findings need.
// Existing findings are first looked up by key only (id + evidence facts); full rows are loaded
// (and locked on PostgreSQL) only for those an observation actually changes, so a re-import of a
// known report reads little and writes nothing.
import type { EntityManager } from 'typeorm';
import { assetBelongsToTenant } from '../assets/index.js';
import { hubError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import type { EvidenceRow, FindingRow } from './entities.js';
import { boundExcerpt, findingIdentityKey } from './identity.js';
import { freshFinding, mergeObservation } from './merge.js';
import { FindingsRepository } from './repository.js';
import type { ParsedObservation } from './schemas.js';
import type { RiskUpdate, UpsertResult } from './service.js';

/** Scores findings about to be created, so they are written once (risk/ provides it). */
export type ScoreNew = (em: EntityManager, rows: FindingRow[]) => Promise<Omit<RiskUpdate, 'id'>[]>;

const factKey = (findingId: string, source: string, at?: Date) =>
  at === undefined ? `${findingId}\u0000${source}` : `${findingId}\u0000${source}\u0000${at.getTime()}`;

export async function upsertBatch(
  tx: EntityManager,
  tenantId: string,
  observations: ParsedObservation[],
  recordedAt: Date,
  scoreNew?: ScoreNew,
): Promise<UpsertResult[]> {
  for (const assetId of new Set(observations.map((o) => o.assetId)))
    if (!(await assetBelongsToTenant(tx, tenantId, assetId))) throw hubError('NOT_FOUND', 'asset not found');
  const repo = new FindingsRepository(tx);
  const keys = observations.map((o) => findingIdentityKey(o));
  const ids = new Map((await repo.idsByKeys(tenantId, [...new Set(keys)])).map((r) => [r.identityKey, r.id]));
  const facts = new Set<string>();
  for (const e of await repo.evidenceFacts(tenantId, [...ids.values()])) {
    facts.add(factKey(e.findingId, e.source));
    facts.add(factKey(e.findingId, e.source, e.observedAt));
  }
  // Full rows only for existing findings that some observation changes.
  const changing = new Set<string>();
  observations.forEach((o, i) => {
    const id = ids.get(keys[i] ?? '');
    if (id && !facts.has(factKey(id, o.source, o.observedAt))) changing.add(id);
  });
  const rows = new Map((await repo.findByIds(tenantId, [...changing], true)).map((r) => [r.identityKey, r]));

  const created = new Map<string, FindingRow>();
  const changed = new Map<string, FindingRow>();
  const evidences: EvidenceRow[] = [];
  const results: UpsertResult[] = [];
  observations.forEach((o, i) => {
    const key = keys[i] ?? '';
    const knownId = ids.get(key);
    if (knownId && facts.has(factKey(knownId, o.source, o.observedAt))) {
      results.push({ findingId: knownId, identityKey: key, outcome: 'duplicate', newSource: false });
      return;
    }
    const candidate = freshFinding(tenantId, key, o);
    const row = rows.get(key);
    let outcome: UpsertResult['outcome'];
    let newSource: boolean;
    let findingId: string;
    if (!row) {
      rows.set(key, candidate);
      ids.set(key, candidate.id);
      created.set(candidate.id, candidate);
      [outcome, newSource, findingId] = ['created', true, candidate.id];
    } else {
      newSource = !facts.has(factKey(row.id, o.source));
      const merged = mergeObservation(row, o, candidate, newSource);
      rows.set(key, merged.next);
      // A finding created earlier in this batch is inserted in its final state.
      (created.has(row.id) ? created : changed).set(row.id, merged.next);
      [outcome, findingId] = [merged.reopened ? 'reopened' : 'updated', row.id];
    }
    facts.add(factKey(findingId, o.source));
    facts.add(factKey(findingId, o.source, o.observedAt));
    evidences.push({
      id: newId(),
      tenantId,
      findingId,
      source: o.source,
      observedAt: o.observedAt,
      recordedAt,
      rawExcerpt: o.rawExcerpt == null ? null : boundExcerpt(o.rawExcerpt),
      details: o.details,
    });
    results.push({ findingId, identityKey: key, outcome, newSource });
  });
  const fresh = [...created.values()];
  if (scoreNew && fresh.length > 0) {
    const scores = await scoreNew(tx, fresh);
    fresh.forEach((r, i) => Object.assign(r, scores[i] ?? {}));
  }
  await repo.insertMany(fresh);
  if (fresh.length > 0) {
    // Another writer may have inserted one of these keys first (PostgreSQL): the batch is then
    // built on a stale read, so it fails whole and the caller retries.
    const landed = await repo.idsByKeys(
      tenantId,
      fresh.map((r) => r.identityKey),
    );
    if (landed.filter((r) => created.has(r.id)).length !== fresh.length)
      throw hubError('CONFLICT', 'findings were written concurrently; retry');
  }
  for (const row of changed.values()) await repo.update(tenantId, row);
  await repo.insertEvidences(evidences);
  return results;
}
