// The drift REST API's response shapes: defined once here, imported by the console.
import type { ChangeName, DriftSourceName, DriftStatus } from './entities.js';

export type { ChangeName, DriftSourceName, DriftStatus };

/** One side of a change: the item's digest and canonical value (secrets: hash only). */
export interface DriftItemValue {
  digest: string;
  value: unknown;
  secret: boolean;
}

export interface DriftEventView {
  id: string;
  assetId: string;
  kind: string;
  key: string;
  change: ChangeName;
  before: DriftItemValue | null;
  after: DriftItemValue | null;
  diff: string;
  coalesced: number;
  firstSeenAt: string;
  lastSeenAt: string;
  source: DriftSourceName;
  status: DriftStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  /** The `drift` finding raised when the event was flagged as a violation. */
  findingId: string | null;
  /** The `baseline` finding of a check this change made fail (and that check's id). */
  linkedFindingId: string | null;
  linkedCheckId: string | null;
  createdAt: string;
}

export interface DriftEventsPage {
  items: DriftEventView[];
  total: number;
}

export interface RollbackAdvice {
  /** The value before the change (what to restore). */
  previous: DriftItemValue | null;
  /** Unified diff taking the current text back to the previous one; empty when unknown. */
  reverseDiff: string;
}

export interface FlagResponse {
  event: DriftEventView;
  findingId: string;
  rollback: RollbackAdvice;
}

export interface DriftBaselineItemView {
  kind: string;
  key: string;
  digest: string;
  value: unknown;
  secret: boolean;
  acceptedBy: string;
  acceptedAt: string;
  reason: string;
}

export interface DriftBaselineView {
  assetId: string;
  items: DriftBaselineItemView[];
  total: number;
}
