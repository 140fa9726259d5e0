// Multi-row raw INSERTs for upsertMany: the columns of findings and finding_evidences, values
// converted the way TypeORM writes them (db/raw.ts), so entity reads see the same thing.
import type { EntityManager } from 'typeorm';
import type { Dialect } from '../db/portable.js';
import { boolParam, instantParam, sqlFor } from '../db/raw.js';
import type { FindingRow } from './entities.js';

type Value = string | number | boolean | Date | null | undefined | Record<string, unknown>;

export const FINDING_COLUMNS: Record<string, (r: FindingRow) => Value> = {
  id: (r) => r.id,
  tenant_id: (r) => r.tenantId,
  asset_id: (r) => r.assetId,
  type: (r) => r.type,
  identity_key: (r) => r.identityKey,
  rule_id: (r) => r.ruleId,
  component: (r) => r.component,
  port: (r) => r.port,
  protocol: (r) => r.protocol,
  title: (r) => r.title,
  description: (r) => r.description,
  severity: (r) => r.severity,
  severity_rank: (r) => r.severityRank,
  cvss_score: (r) => r.cvssScore,
  risk_score: (r) => r.riskScore,
  risk_factors: (r) => r.riskFactors,
  status: (r) => r.status,
  first_seen_at: (r) => r.firstSeenAt,
  last_seen_at: (r) => r.lastSeenAt,
  resolved_at: (r) => r.resolvedAt,
  recurrence_count: (r) => r.recurrenceCount,
  source_count: (r) => r.sourceCount,
  priority: (r) => r.priority ?? null,
  due_at: (r) => r.dueAt ?? null,
  cve: (r) => r.cve ?? null,
  confidence: (r) => r.confidence ?? null,
  from_intel: (r) => r.fromIntel ?? false,
};

export const EVIDENCE_COLUMNS = [
  'id',
  'tenant_id',
  'finding_id',
  'source',
  'observed_at',
  'recorded_at',
  'raw_excerpt',
  'details',
];

export function toParam(d: Dialect, v: Value): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return instantParam(d, v);
  if (typeof v === 'boolean') return boolParam(d, v);
  if (typeof v === 'object') return JSON.stringify(v); // simple-json columns
  return v;
}

// Both dialects allow far more; 900 keeps SQLite builds with the old 999 default working.
const MAX_PARAMS = 900;

export async function insertRows(
  em: EntityManager,
  d: Dialect,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  skipConflicts: boolean,
): Promise<void> {
  const perChunk = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const one = `(${columns.map(() => '?').join(',')})`;
  for (let i = 0; i < rows.length; i += perChunk) {
    const chunk = rows.slice(i, i + perChunk);
    const verb = skipConflicts && d === 'sqlite' ? 'INSERT OR IGNORE' : 'INSERT';
    const tail = skipConflicts && d === 'postgres' ? ' ON CONFLICT DO NOTHING' : '';
    const sql = `${verb} INTO ${table} (${columns.join(',')}) VALUES ${chunk.map(() => one).join(',')}${tail}`;
    await em.query(sqlFor(d, sql), chunk.flat());
  }
}
