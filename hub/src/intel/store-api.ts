// The read contract of the intel store: what matching (intel/matching, C2) and risk scoring (C3)
// code against. Intel is global (not tenant-owned): every tenant's findings are matched against the
// same feeds. Shapes here are stable; add optional fields rather than change existing ones.
//
// Conventions:
// - Instants are ISO-8601 strings in UTC (`2024-03-29T17:15:21.150Z`); feed dates without a zone are
//   read as UTC. Dates without a time (KEV `dateAdded`, EPSS score date) stay `YYYY-MM-DD`.
// - Absent values are `null` (never `undefined`), so records round-trip through JSON unchanged.
// - Vulnerability ids are kept as the feed spells them (`CVE-2024-3094`, `GHSA-…`, `DSA-3029-1`,
//   `UBUNTU-CVE-2025-6297`); CVE ids are upper-cased. `aliases` links OSV/distro ids to CVEs.

/** Where a record came from. One vulnerability id may have a record from several sources. */
export const INTEL_SOURCES = ['nvd', 'cve5', 'osv', 'debian-tracker', 'kev', 'epss'] as const;
export type IntelSource = (typeof INTEL_SOURCES)[number];

/** Input formats the importer understands (`--format`); auto-detected when omitted. */
export const FEED_FORMATS = [
  'nvd2', // NVD CVE API 2.0 pages, yearly 2.0 feeds, or one bare `cve` object
  'nvd1', // legacy NVD 1.1 JSON feed (`CVE_Items`)
  'cve5', // CVE JSON 5.x record (cna + adp containers)
  'osv', // OSV JSON: one record or an array of records
  'osv-zip', // zip of OSV records (osv.dev `all.zip` layout)
  'osv-tar', // tar or tar.gz of OSV records
  'debian-tracker', // security-tracker.debian.org/tracker/data/json
  'kev', // CISA KEV catalog JSON
  'epss', // FIRST EPSS CSV with its `#model_version:…,score_date:…` line
] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export interface CvssMetric {
  version: '2.0' | '3.0' | '3.1' | '4.0';
  /** The full vector string as published (`CVSS:3.1/AV:N/…`; v2 vectors have no prefix). */
  vector: string;
  baseScore: number | null;
  baseSeverity: string | null;
  /** Who scored it: `nvd@nist.gov`, a CNA's id/email, `CISA-ADP`, an OSV database… */
  source: string;
  /** NVD's Primary/Secondary; `null` where the feed has no such notion. */
  type: 'Primary' | 'Secondary' | null;
}

export interface Reference {
  url: string;
  tags: string[];
}

/** NVD `cpeMatch` entry. Version bounds are `null` when absent. */
export interface CpeMatch {
  criteria: string; // cpe:2.3:a:vendor:product:version:…
  vulnerable: boolean;
  versionStartIncluding: string | null;
  versionStartExcluding: string | null;
  versionEndIncluding: string | null;
  versionEndExcluding: string | null;
  matchCriteriaId: string | null;
}

/** A configuration node. NVD 2.0 nodes are flat; legacy 1.1 nodes may nest through `children`. */
export interface ConfigNode {
  operator: 'AND' | 'OR';
  negate: boolean;
  cpeMatch: CpeMatch[];
  children: ConfigNode[];
}

/** One NVD configuration: its nodes combined with `operator` (AND when absent in 2.0 = single node). */
export interface NvdConfiguration {
  operator: 'AND' | 'OR' | null;
  negate: boolean;
  nodes: ConfigNode[];
}

/** OSV range events, in feed order. Exactly one key is set per event. */
export interface RangeEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface AffectedRange {
  type: 'ECOSYSTEM' | 'SEMVER' | 'GIT';
  repo: string | null;
  events: RangeEvent[];
}

/**
 * An affected package from OSV (any ecosystem) or from a CVE 5 CNA/ADP `affected` block mapped to
 * ranges. `ecosystem` is OSV's spelling (`Debian:12`, `Ubuntu:22.04:LTS`, `Alpine:v3.19`, `npm`,
 * `PyPI`, `Red Hat:…`); `package` the name the ecosystem uses (for Debian: the source package).
 */
export interface AffectedPackage {
  vulnId: string;
  source: IntelSource;
  ecosystem: string;
  package: string;
  purl: string | null;
  ranges: AffectedRange[];
  /** Explicitly listed affected versions. */
  versions: string[]; /**
   * The record's aliases (the CVE ids a distro advisory like DSA-… or UBUNTU-CVE-… is about).
   * Always set by the store; optional only so hand-built test values may leave it out.
   */
  aliases?: string[];
}

/**
 * A distro's verdict for one source package in one release. From the Debian tracker directly, and
 * derived from OSV records whose ecosystem is a distro (Debian, Ubuntu, Alpine, Red Hat, Rocky,
 * AlmaLinux, SUSE…): a `fixed` event gives state `fixed`, a range without one gives `unfixed`.
 * Versions are the distro's own strings: compare them with the distro's ordering (dpkg, rpm, apk).
 */
export type DistroFixState = 'fixed' | 'unfixed' | 'not_affected' | 'undetermined';
export interface DistroFix {
  vulnId: string;
  source: IntelSource;
  /** OSV-style ecosystem with release: `Debian:12`, `Ubuntu:22.04`, `Alpine:v3.19`; `Debian:sid` for unstable. */
  ecosystem: string;
  /** Debian codename (`bookworm`) when known, else null. */
  release: string | null;
  sourcePackage: string;
  state: DistroFixState;
  /** Set when state is `fixed`: the first version that is not affected. */
  fixedVersion: string | null;
  /** Debian tracker urgency (`low`, `medium`, `high**`, `unimportant`, `end-of-life`…), else null. */
  urgency:
    | string
    | null; /** As AffectedPackage.aliases: the CVE ids behind a distro advisory id (always set by the store). */
  aliases?: string[];
}

export interface KevEntry {
  cve: string;
  vendorProject: string;
  product: string;
  vulnerabilityName: string;
  dateAdded: string; // YYYY-MM-DD
  dueDate: string | null; // YYYY-MM-DD
  requiredAction: string;
  /** `Known` or `Unknown` as CISA publishes it. */
  knownRansomwareCampaignUse: string;
  notes: string;
  cwes: string[];
}

export interface EpssScore {
  cve: string;
  score: number; // probability 0..1
  percentile: number; // 0..1
  date: string; // YYYY-MM-DD (score_date of the file)
  modelVersion: string;
}

/** CVE 5 CISA-ADP SSVC decision points, when present. */
export interface SsvcDecision {
  exploitation: string | null; // none | poc | active
  automatable: string | null; // yes | no
  technicalImpact: string | null; // partial | total
}

/** A vulnerability as one source describes it. */
export interface VulnRecord {
  id: string;
  source: IntelSource;
  aliases: string[];
  published: string | null;
  modified: string | null;
  /** NVD `vulnStatus` (`Analyzed`, `Rejected`…), CVE 5 `state`, OSV `withdrawn` → `Withdrawn`. */
  status: string | null;
  summary: string | null;
  description: string;
  cvss: CvssMetric[];
  cwes: string[];
  references: Reference[];
  /** NVD configurations, and CVE 5 ADP `cpes` turned into OR nodes of exact-version matches. */
  configurations: NvdConfiguration[];
  affected: AffectedPackage[];
  distroFixes: DistroFix[];
  /** NVD `cisaExploitAdd`/`cisaActionDue`… or CVE 5 ADP KEV data, when the record carries it. */
  kevHint: { dateAdded: string | null; dueDate: string | null } | null;
  ssvc: SsvcDecision | null;
}

/** Everything known about one id, merged across sources (each source's record kept whole). */
export interface IntelVulnerability {
  id: string;
  aliases: string[];
  published: string | null;
  modified: string | null;
  description: string;
  /** Best-known metrics: NVD Primary first, then CNA/ADP, then OSV; all metrics of all sources. */
  cvss: CvssMetric[];
  /** Preferred v3.x / v4.0 metric (NVD Primary, else the first secondary), null when none. */
  cvss3: CvssMetric | null;
  cvss4: CvssMetric | null;
  cwes: string[];
  references: Reference[];
  kev: KevEntry | null;
  epss: EpssScore | null;
  configurations: NvdConfiguration[];
  affected: AffectedPackage[];
  distroFixes: DistroFix[];
  ssvc: SsvcDecision | null;
  sources: { source: IntelSource; modified: string | null; importId: string }[];
  records: VulnRecord[];
}

/** What one import changed for one id. */
export type ChangeKind = 'new' | 'updated';
export type ChangedField =
  | 'cvss'
  | 'kev'
  | 'epss'
  | 'affected'
  | 'configurations'
  | 'distro_fixes'
  | 'description'
  | 'status'
  | 'references'
  | 'other';
export interface FieldChange {
  field: ChangedField;
  before: unknown;
  after: unknown;
}
export interface IntelChange {
  seq: number; // strictly increasing across imports: use it as a cursor
  importId: string;
  vulnId: string;
  source: IntelSource;
  kind: ChangeKind;
  fields: FieldChange[];
  changedAt: string;
}

export type ImportState = 'queued' | 'running' | 'succeeded' | 'failed';
export interface ImportCounts {
  new: number;
  updated: number;
  unchanged: number;
  failed: number;
}
export interface IntelImport {
  id: string;
  seq: number;
  format: FeedFormat | null;
  fileName: string;
  state: ImportState;
  bytesTotal: number;
  bytesRead: number;
  progress: number; // 0..100
  counts: ImportCounts;
  error: { code: string; message: string } | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface SourceStatus {
  source: IntelSource;
  records: number;
  newestModified: string | null;
  newestPublished: string | null;
  lastImport: { id: string; state: ImportState; finishedAt: string | null } | null;
}

/** Read API of the store. All methods are global (no tenant): intel is shared. */
export interface IntelReader {
  vuln(id: string): Promise<IntelVulnerability | null>;
  /** Missing ids are absent from the map. At most 1000 ids per call. */
  vulnsByIds(ids: readonly string[]): Promise<Map<string, IntelVulnerability>>;
  kev(cve: string): Promise<KevEntry | null>;
  epss(cve: string): Promise<EpssScore | null>;
  nvdConfigurations(cve: string): Promise<NvdConfiguration[]>;
  /**
   * Candidate lookup for CPE matching: every vulnerability with a cpeMatch whose criteria names
   * this vendor:product (lower-case, as in the CPE), with its configurations. `part` is a/o/h.
   */
  nvdByProduct(
    part: string,
    vendor: string,
    product: string,
  ): Promise<{ vulnId: string; configurations: NvdConfiguration[] }[]>;
  /** Distro verdicts for a source package in an ecosystem (`Debian:12`); all vulns. */
  distroFixes(ecosystem: string, sourcePackage: string): Promise<DistroFix[]>;
  /** OSV affected entries for a package; `ecosystem` matches exactly (`Debian:12`, `npm`). */
  osvAffected(ecosystem: string, pkg: string): Promise<AffectedPackage[]>;
  /** Ids (sorted, unique) changed by imports after `importId` (exclusive); all when null. */
  changedSince(importId: string | null): Promise<string[]>;
  /** Change records with seq > `seq`, oldest first, at most `limit`. */
  changes(sinceSeq: number, limit: number): Promise<IntelChange[]>;
}

/** Called after each import that changed something, with the (unique) vulnerability ids changed. */
export type IntelChangedListener = (importId: string, changedIds: readonly string[]) => void | Promise<void>;

/** In-process event hub: the early-warning matcher (C2) subscribes here. */
export interface IntelEvents {
  /** Returns an unsubscribe function. Listener errors are logged, never fail the import. */
  onIntelChanged(listener: IntelChangedListener): () => void;
}
