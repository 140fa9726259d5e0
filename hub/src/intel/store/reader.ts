// IntelReader over the intel tables (see store-api.ts for the contract).
import type { DataSource } from 'typeorm';
import type { Dialect } from '../../db/portable.js';
import { sqlFor } from '../../db/raw.js';
import type {
  AffectedPackage,
  DistroFix,
  DistroFixState,
  EpssScore,
  IntelChange,
  IntelReader,
  IntelSource,
  IntelVulnerability,
  KevEntry,
  NvdConfiguration,
  VulnRecord,
} from '../store-api.js';
import { mergeVulnerability, type StoredRecord } from './merge.js';

export const MAX_IDS_PER_CALL = 1000;
const IN_CHUNK = 400;
const ph = (n: number) => Array.from({ length: n }, () => '?').join(',');

interface FixRow {
  vuln_id: string;
  source: string;
  ecosystem: string;
  source_package: string;
  release: string | null;
  state: string;
  fixed_version: string | null;
  urgency: string | null;
  aliases: string;
}

export class IntelStoreReader implements IntelReader {
  constructor(
    private readonly ds: DataSource,
    private readonly dialect: Dialect,
  ) {}

  private q<T>(text: string, params: unknown[]): Promise<T[]> {
    return this.ds.query<T[]>(sqlFor(this.dialect, text), params);
  }

  private async inChunks<T>(sql: (p: string) => string, keys: readonly string[]): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < keys.length; i += IN_CHUNK) {
      const chunk = keys.slice(i, i + IN_CHUNK);
      out.push(...(await this.q<T>(sql(ph(chunk.length)), chunk)));
    }
    return out;
  }

  async vuln(id: string): Promise<IntelVulnerability | null> {
    return (await this.vulnsByIds([id])).get(normalizeId(id)) ?? null;
  }

  async vulnsByIds(input: readonly string[]): Promise<Map<string, IntelVulnerability>> {
    const ids = [...new Set(input.map(normalizeId))].slice(0, MAX_IDS_PER_CALL);
    const direct = await this.inChunks<{ vuln_id: string; doc: string; import_id: string }>(
      (p) => `SELECT vuln_id, doc, import_id FROM intel_vulns WHERE vuln_id IN (${p})`,
      ids,
    );
    // Advisories that name the id as an alias (DSA-…, UBUNTU-CVE-…, GHSA-… for a CVE).
    const aliased = await this.inChunks<{ alias: string; doc: string; import_id: string }>(
      (p) =>
        `SELECT a.alias, v.doc, v.import_id FROM intel_aliases a
         JOIN intel_vulns v ON v.source = a.source AND v.record_key = a.record_key WHERE a.alias IN (${p})`,
      ids,
    );
    const kev = await this.inChunks<{ cve: string; doc: string }>(
      (p) => `SELECT cve, doc FROM intel_kev WHERE cve IN (${p})`,
      ids,
    );
    const epss = await this.inChunks<EpssRow>((p) => `SELECT * FROM intel_epss WHERE cve IN (${p})`, ids);
    const records = new Map<string, StoredRecord[]>();
    const add = (id: string, doc: string, importId: string) => {
      const list = records.get(id) ?? [];
      list.push({ record: JSON.parse(doc) as VulnRecord, importId });
      records.set(id, list);
    };
    for (const r of direct) add(r.vuln_id, r.doc, r.import_id);
    for (const r of aliased) add(r.alias, r.doc, r.import_id);
    const kevBy = new Map(kev.map((k) => [k.cve, JSON.parse(k.doc) as KevEntry]));
    const epssBy = new Map(epss.map((e) => [e.cve, epssView(e)]));
    const out = new Map<string, IntelVulnerability>();
    for (const id of ids) {
      const recs = records.get(id) ?? [];
      const k = kevBy.get(id) ?? null;
      const e = epssBy.get(id) ?? null;
      if (recs.length === 0 && k === null && e === null) continue;
      out.set(id, mergeVulnerability(id, recs, k, e));
    }
    return out;
  }

  async kev(cve: string): Promise<KevEntry | null> {
    const [row] = await this.q<{ doc: string }>('SELECT doc FROM intel_kev WHERE cve = ?', [
      normalizeId(cve),
    ]);
    return row ? (JSON.parse(row.doc) as KevEntry) : null;
  }

  async epss(cve: string): Promise<EpssScore | null> {
    const [row] = await this.q<EpssRow>('SELECT * FROM intel_epss WHERE cve = ?', [normalizeId(cve)]);
    return row ? epssView(row) : null;
  }

  async nvdConfigurations(cve: string): Promise<NvdConfiguration[]> {
    const rows = await this.q<{ source: string; configs: string }>(
      `SELECT source, configs FROM intel_vulns WHERE vuln_id = ? AND source IN ('nvd', 'cve5')`,
      [normalizeId(cve)],
    );
    return pickConfigs(rows);
  }

  async nvdByProduct(part: string, vendor: string, product: string) {
    const rows = await this.q<{ vuln_id: string; source: string; configs: string }>(
      `SELECT v.vuln_id, v.source, v.configs FROM intel_cpe_products p
       JOIN intel_vulns v ON v.source = p.source AND v.record_key = p.record_key
       WHERE p.vendor = ? AND p.product = ? AND p.part = ?`,
      [vendor, product, part],
    );
    const byId = new Map<string, { source: string; configs: string }[]>();
    for (const r of rows) byId.set(r.vuln_id, [...(byId.get(r.vuln_id) ?? []), r]);
    return [...byId].map(([vulnId, list]) => ({ vulnId, configurations: pickConfigs(list) }));
  }

  async distroFixes(ecosystem: string, sourcePackage: string): Promise<DistroFix[]> {
    const rows = await this.q<FixRow>(
      `SELECT vuln_id, source, ecosystem, source_package, release, state, fixed_version, urgency, aliases
       FROM intel_distro_fixes WHERE ecosystem = ? AND source_package = ?`,
      [ecosystem, sourcePackage],
    );
    return rows.map((r) => ({
      vulnId: r.vuln_id,
      source: r.source as IntelSource,
      ecosystem: r.ecosystem,
      release: r.release,
      sourcePackage: r.source_package,
      state: r.state as DistroFixState,
      fixedVersion: r.fixed_version,
      urgency: r.urgency,
      aliases: JSON.parse(r.aliases) as string[],
    }));
  }

  async osvAffected(ecosystem: string, pkg: string): Promise<AffectedPackage[]> {
    const rows = await this.q<{ doc: string }>(
      'SELECT doc FROM intel_affected WHERE ecosystem = ? AND package = ?',
      [ecosystem, pkg],
    );
    return rows.map((r) => JSON.parse(r.doc) as AffectedPackage);
  }

  async changedSince(importId: string | null): Promise<string[]> {
    const rows =
      importId === null
        ? await this.q<{ vuln_id: string }>('SELECT DISTINCT vuln_id FROM intel_changes ORDER BY vuln_id', [])
        : await this.q<{ vuln_id: string }>(
            `SELECT DISTINCT c.vuln_id FROM intel_changes c JOIN intel_imports i ON i.id = c.import_id
             WHERE i.seq > (SELECT seq FROM intel_imports WHERE id = ?) ORDER BY c.vuln_id`,
            [importId],
          );
    return rows.map((r) => r.vuln_id);
  }

  async changes(sinceSeq: number, limit: number): Promise<IntelChange[]> {
    const rows = await this.q<ChangeRow>('SELECT * FROM intel_changes WHERE seq > ? ORDER BY seq LIMIT ?', [
      sinceSeq,
      Math.min(Math.max(1, limit), 1000),
    ]);
    return rows.map(changeView);
  }

  /** Change history of one id, newest first. */
  async changesOf(vulnId: string, limit: number): Promise<IntelChange[]> {
    const rows = await this.q<ChangeRow>(
      'SELECT * FROM intel_changes WHERE vuln_id = ? ORDER BY seq DESC LIMIT ?',
      [normalizeId(vulnId), limit],
    );
    return rows.map(changeView);
  }

  /** First change seq at or after an instant (for `?since=<ISO date>`). */
  async seqAt(instant: Date): Promise<number> {
    const value =
      this.dialect === 'postgres' ? instant : instant.toISOString().replace('T', ' ').replace('Z', '');
    const [row] = await this.q<{ m: number | string | null }>(
      'SELECT MIN(seq) AS m FROM intel_changes WHERE changed_at >= ?',
      [value],
    );
    return row?.m === null || row?.m === undefined ? Number.MAX_SAFE_INTEGER : Number(row.m) - 1;
  }
}

interface EpssRow {
  cve: string;
  score: number | string;
  percentile: number | string;
  score_date: string;
  model_version: string;
}
const epssView = (e: EpssRow): EpssScore => ({
  cve: e.cve,
  score: Number(e.score),
  percentile: Number(e.percentile),
  date: e.score_date,
  modelVersion: e.model_version,
});

interface ChangeRow {
  seq: number | string;
  import_id: string;
  vuln_id: string;
  source: string;
  kind: string;
  fields: string;
  changed_at: Date | string;
}
const changeView = (r: ChangeRow): IntelChange => ({
  seq: Number(r.seq),
  importId: r.import_id,
  vulnId: r.vuln_id,
  source: r.source as IntelSource,
  kind: r.kind as IntelChange['kind'],
  fields: JSON.parse(r.fields) as IntelChange['fields'],
  changedAt:
    r.changed_at instanceof Date
      ? r.changed_at.toISOString()
      : new Date(`${r.changed_at.replace(' ', 'T')}Z`).toISOString(),
});

/** NVD's configurations when it has any, else CVE 5's (CISA-ADP CPEs). */
function pickConfigs(rows: readonly { source: string; configs: string }[]): NvdConfiguration[] {
  const parsed = rows.map((r) => ({
    source: r.source,
    configs: JSON.parse(r.configs) as NvdConfiguration[],
  }));
  return (
    (
      parsed.find((r) => r.source === 'nvd' && r.configs.length > 0) ??
      parsed.find((r) => r.configs.length > 0)
    )?.configs ?? []
  );
}

export const normalizeId = (id: string): string => (/^cve-/i.test(id) ? id.toUpperCase() : id);
