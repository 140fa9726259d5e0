// What a feed reader yields: one normalized record at a time, with the key it is stored under.
import type { EpssScore, KevEntry, VulnRecord } from '../store-api.js';

export type FeedItem =
  /** `key` is unique per source: the vuln id, or `CVE|package` for the Debian tracker. */
  | { kind: 'vuln'; key: string; record: VulnRecord }
  | { kind: 'kev'; key: string; entry: KevEntry }
  | { kind: 'epss'; key: string; score: EpssScore }
  /** A JSON-valid value that is not a usable record: counted as failed, the import goes on. */
  | { kind: 'invalid'; position: string; message: string };
