// The findings REST API's response shapes: defined once here, imported by the console.
import type { FindingStatus, FindingType, Priority, Severity } from './entities.js';

export type { FindingStatus, FindingType, Priority, Severity };

export interface FindingSummary {
  id: string;
  assetId: string;
  type: FindingType;
  identityKey: string;
  ruleId: string;
  component: string;
  port: number | null;
  protocol: string | null;
  title: string;
  severity: Severity;
  cvssScore: number | null;
  riskScore: number | null;
  status: FindingStatus;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  recurrenceCount: number;
  sourceCount: number;
  priority: Priority | null;
  /** Remediation deadline from the tenant's SLA (risk/). */
  dueAt: string | null;
  cve: string | null;
  confidence: string | null;
  fromIntel: boolean;
}

export interface FindingEvidence {
  id: string;
  source: string;
  observedAt: string;
  recordedAt: string;
  rawExcerpt: string | null;
  details: Record<string, unknown>;
}

export interface FindingDetail extends FindingSummary {
  description: string;
  riskFactors: Record<string, unknown>;
  /** All evidences recorded; `evidences` holds the latest 100. */
  evidenceCount: number;
  evidences: FindingEvidence[];
}

export interface FindingsPage {
  items: FindingSummary[];
  total: number;
}
