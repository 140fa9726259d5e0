// The intel and early-warning REST API's response shapes, defined once here for the console
// (type-only re-exports of the store and warnings contracts).
import type { FeedFormat, ImportState, IntelImport, SourceStatus } from './store-api.js';
import type { VulnSpread, WarningItem } from './warnings/repository.js';

export type { FeedFormat, ImportState, IntelImport, SourceStatus, VulnSpread, WarningItem };

/** GET /intel/status */
export interface IntelStatusView {
  sources: SourceStatus[];
}
/** GET /intel/imports */
export interface IntelImportsView {
  items: IntelImport[];
}
/** GET /warnings and GET /warnings/by-cve */
export interface WarningsPage {
  items: WarningItem[];
  total: number;
}
export interface VulnSpreadPage {
  items: VulnSpread[];
  total: number;
}
