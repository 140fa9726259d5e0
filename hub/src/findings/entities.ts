// One kind of record for everything wrong on an asset, whoever found it (inventory matching,
// discovery, baselines, scanners), plus the evidence each observation left.
import { EntitySchema, type EntitySchemaColumnOptions } from 'typeorm';

export const FINDING_TYPES = [
  'vulnerability',
  'weak_credential',
  'baseline',
  'drift',
  'exposure',
  'misconfiguration',
] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** Stored beside the severity so that "most severe first" is an index-friendly integer sort. */
export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

export const FINDING_STATUSES = ['open', 'resolved', 'reopened'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export interface FindingRow {
  id: string;
  tenantId: string;
  assetId: string;
  type: FindingType;
  /** sha-256 (hex) of the identity parts; see identity.ts. */
  identityKey: string;
  /** What was checked: CVE id, baseline rule id, credential check id, ... (part of the identity). */
  ruleId: string;
  component: string;
  port: number | null;
  protocol: string | null;
  title: string;
  description: string;
  severity: Severity;
  severityRank: number;
  cvssScore: number | null;
  riskScore: number | null;
  riskFactors: Record<string, unknown>;
  status: FindingStatus;
  firstSeenAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
  recurrenceCount: number;
  sourceCount: number;
  /** P1–P4 from the tenant's risk bands (risk/), with its remediation deadline; null until scored. */
  priority?: Priority | null;
  dueAt?: Date | null;
  /** The CVE the finding is about, when it is about one (filters, intel joins). */
  cve?: string | null;
  /** How sure the producer is: 'confirmed' | 'firm' | 'tentative'. */
  confidence?: string | null;
  /** Raised by intel matching against stored inventory, not by a scan. */
  fromIntel?: boolean;
}

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

const id: EntitySchemaColumnOptions = { type: 'varchar', length: 36, primary: true };
const ref = (name: string): EntitySchemaColumnOptions => ({ type: 'varchar', length: 36, name });
const tenantId: EntitySchemaColumnOptions = { type: 'varchar', length: 64, name: 'tenant_id' };
const instant = (name: string, nullable = false): EntitySchemaColumnOptions => ({
  type: Date,
  name,
  nullable,
});

export const FindingEntity = new EntitySchema<FindingRow>({
  name: 'Finding',
  tableName: 'findings',
  columns: {
    id,
    tenantId,
    assetId: ref('asset_id'),
    type: { type: 'varchar', length: 32 },
    identityKey: { type: 'varchar', length: 64, name: 'identity_key' },
    ruleId: { type: 'text', name: 'rule_id' },
    component: { type: 'text' },
    port: { type: 'integer', nullable: true },
    protocol: { type: 'varchar', length: 16, nullable: true },
    title: { type: 'text' },
    description: { type: 'text' },
    severity: { type: 'varchar', length: 16 },
    severityRank: { type: 'integer', name: 'severity_rank' },
    cvssScore: { type: 'double precision', name: 'cvss_score', nullable: true },
    riskScore: { type: 'double precision', name: 'risk_score', nullable: true },
    riskFactors: { type: 'simple-json', name: 'risk_factors' },
    status: { type: 'varchar', length: 16 },
    firstSeenAt: instant('first_seen_at'),
    lastSeenAt: instant('last_seen_at'),
    resolvedAt: instant('resolved_at', true),
    recurrenceCount: { type: 'integer', name: 'recurrence_count' },
    sourceCount: { type: 'integer', name: 'source_count' },
    priority: { type: 'varchar', length: 2, nullable: true },
    dueAt: instant('due_at', true),
    cve: { type: 'varchar', length: 32, nullable: true },
    confidence: { type: 'varchar', length: 16, nullable: true },
    fromIntel: { type: 'boolean', name: 'from_intel', default: false },
  },
});

export interface EvidenceRow {
  id: string;
  tenantId: string;
  findingId: string;
  /** Producer: 'agent:inventory', 'nmap', 'nessus', ... */
  source: string;
  observedAt: Date;
  recordedAt: Date;
  /** At most 8 KiB of the producer's raw output, truncated with a marker. */
  rawExcerpt: string | null;
  details: Record<string, unknown>;
}

export const EvidenceEntity = new EntitySchema<EvidenceRow>({
  name: 'FindingEvidence',
  tableName: 'finding_evidences',
  columns: {
    id,
    tenantId,
    findingId: ref('finding_id'),
    source: { type: 'varchar', length: 64 },
    observedAt: instant('observed_at'),
    recordedAt: instant('recorded_at'),
    rawExcerpt: { type: 'text', name: 'raw_excerpt', nullable: true },
    details: { type: 'simple-json' },
  },
});

export const findingsEntities = [FindingEntity, EvidenceEntity];
