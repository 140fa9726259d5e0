// Pure rules shared by upsert and upsertMany: a new finding from an observation, and how a later
// (or late) observation changes an existing one.
import { newId } from '../platform/ids.js';
import { severityRank, type FindingRow } from './entities.js';
import type { ParsedObservation } from './schemas.js';

const maxDate = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b);
const minDate = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);

export function freshFinding(tenantId: string, key: string, o: ParsedObservation): FindingRow {
  return {
    id: newId(),
    tenantId,
    assetId: o.assetId,
    type: o.type,
    identityKey: key,
    ruleId: o.ruleId,
    component: o.component,
    port: o.port ?? null,
    protocol: o.protocol?.toLowerCase() ?? null,
    title: o.title,
    description: o.description,
    severity: o.severity,
    severityRank: severityRank(o.severity),
    cvssScore: o.cvssScore ?? null,
    riskScore: o.riskScore ?? null,
    riskFactors: o.riskFactors,
    status: 'open',
    firstSeenAt: o.observedAt,
    lastSeenAt: o.observedAt,
    resolvedAt: null,
    recurrenceCount: 0,
    sourceCount: 1,
    cve: o.cve ?? null,
    confidence: o.confidence ?? null,
    fromIntel: o.fromIntel ?? false,
    priority: o.priority ?? null,
    dueAt: o.dueAt ?? null,
  };
}

/** The finding after one more observation (not a duplicate); `reopened` when it came back. */
export function mergeObservation(
  row: FindingRow,
  o: ParsedObservation,
  candidate: FindingRow,
  newSource: boolean,
): { next: FindingRow; reopened: boolean } {
  const next: FindingRow = { ...row };
  if (newSource) next.sourceCount += 1;
  if (o.observedAt.getTime() >= row.lastSeenAt.getTime()) {
    // The newest observation describes the finding (a rescored CVE, a changed title).
    Object.assign(next, {
      title: candidate.title,
      description: candidate.description,
      severity: candidate.severity,
      severityRank: candidate.severityRank,
      cvssScore: candidate.cvssScore,
      riskScore: candidate.riskScore,
      riskFactors: candidate.riskFactors,
      ...(o.cve ? { cve: o.cve } : {}),
      ...(o.confidence ? { confidence: o.confidence } : {}),
    });
  }
  next.lastSeenAt = maxDate(row.lastSeenAt, o.observedAt);
  next.firstSeenAt = minDate(row.firstSeenAt, o.observedAt);
  // Only an observation made after the resolution reopens: late evidence from before it does not.
  const reopened =
    row.status === 'resolved' && row.resolvedAt !== null && o.observedAt.getTime() > row.resolvedAt.getTime();
  if (reopened) {
    next.status = 'reopened';
    next.resolvedAt = null;
    next.recurrenceCount += 1;
  }
  return { next, reopened };
}
