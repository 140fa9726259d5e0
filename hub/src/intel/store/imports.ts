// intel_imports (one row per import, with its progress) and intel_sources (per-source totals,
// refreshed after each import).
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Dialect } from '../../db/portable.js';
import { instantParam, runSql, sqlFor } from '../../db/raw.js';
import type {
  FeedFormat,
  ImportCounts,
  ImportState,
  IntelImport,
  IntelSource,
  SourceStatus,
} from '../store-api.js';
import { INTEL_SOURCES } from '../store-api.js';

/** At most this many failed-record positions are kept per import. */
export const MAX_KEPT_FAILURES = 50;

interface ImportRow {
  id: string;
  seq: number | string;
  format: string | null;
  file_name: string;
  state: string;
  bytes_total: number | string;
  bytes_read: number | string;
  count_new: number;
  count_updated: number;
  count_unchanged: number;
  count_failed: number;
  error_code: string | null;
  error_message: string | null;
  started_at: Date | string;
  finished_at: Date | string | null;
}

const iso = (d: Date | string | null): string | null =>
  d === null ? null : d instanceof Date ? d.toISOString() : new Date(`${d.replace(' ', 'T')}Z`).toISOString();

function view(r: ImportRow): IntelImport {
  const total = Number(r.bytes_total);
  const read = Number(r.bytes_read);
  const state = r.state as ImportState;
  return {
    id: r.id,
    seq: Number(r.seq),
    format: r.format as FeedFormat | null,
    fileName: r.file_name,
    state,
    bytesTotal: total,
    bytesRead: read,
    progress: state === 'succeeded' ? 100 : total > 0 ? Math.min(100, Math.floor((read / total) * 100)) : 0,
    counts: {
      new: r.count_new,
      updated: r.count_updated,
      unchanged: r.count_unchanged,
      failed: r.count_failed,
    },
    error: r.error_code === null ? null : { code: r.error_code, message: r.error_message ?? '' },
    startedAt: iso(r.started_at) ?? '',
    finishedAt: iso(r.finished_at),
  };
}

export class ImportsRepository {
  constructor(
    readonly ds: DataSource,
    readonly dialect: Dialect,
    private readonly clock: () => Date,
  ) {}

  private q<T>(text: string, params: unknown[], em: EntityManager = this.ds.manager): Promise<T[]> {
    return em.query<T[]>(sqlFor(this.dialect, text), params);
  }

  async create(fileName: string, format: FeedFormat | null, bytesTotal: number, requestedBy: string | null) {
    const id = randomUUID();
    await this.ds.transaction(async (em) => {
      const [row] = await this.q<{ m: number | string | null }>(
        'SELECT MAX(seq) AS m FROM intel_imports',
        [],
        em,
      );
      const seq = Number(row?.m ?? 0) + 1;
      await runSql(
        em,
        this.dialect,
        `INSERT INTO intel_imports (id, seq, format, file_name, state, bytes_total, bytes_read, count_new,
           count_updated, count_unchanged, count_failed, count_changed_ids, failures, requested_by, started_at)
         VALUES (?, ?, ?, ?, 'queued', ?, 0, 0, 0, 0, 0, 0, '[]', ?, ?)`,
        [
          id,
          seq,
          format,
          fileName.slice(0, 1000),
          bytesTotal,
          requestedBy,
          instantParam(this.dialect, this.clock()),
        ],
      );
    });
    return id;
  }

  async start(id: string, format: FeedFormat, bytesTotal: number): Promise<void> {
    await runSql(
      this.ds.manager,
      this.dialect,
      `UPDATE intel_imports SET state = 'running', format = ?, bytes_total = ? WHERE id = ?`,
      [format, bytesTotal, id],
    );
  }

  /** Progress, written in the batch's own transaction so counts match what is committed. */
  async progress(
    em: EntityManager,
    id: string,
    bytesRead: number,
    c: ImportCounts,
    failures: readonly string[],
  ) {
    await runSql(
      em,
      this.dialect,
      `UPDATE intel_imports SET bytes_read = ?, count_new = ?, count_updated = ?, count_unchanged = ?,
         count_failed = ?, failures = ? WHERE id = ?`,
      [
        bytesRead,
        c.new,
        c.updated,
        c.unchanged,
        c.failed,
        JSON.stringify(failures.slice(0, MAX_KEPT_FAILURES)),
        id,
      ],
    );
  }

  async finish(
    id: string,
    state: 'succeeded' | 'failed',
    changedIds: number,
    error: { code: string; message: string } | null,
  ) {
    await runSql(
      this.ds.manager,
      this.dialect,
      `UPDATE intel_imports SET state = ?, count_changed_ids = ?, error_code = ?, error_message = ?, finished_at = ?
        ${state === 'succeeded' ? ', bytes_read = bytes_total' : ''} WHERE id = ?`,
      [
        state,
        changedIds,
        error?.code ?? null,
        error?.message.slice(0, 2000) ?? null,
        instantParam(this.dialect, this.clock()),
        id,
      ],
    );
  }

  /**
   * Uploads queued or running when the hub stopped can never finish (their temp file is gone):
   * mark them failed at start. CLI imports (`requested_by = 'cli'`) may be running right now in
   * another process and are left alone.
   */
  async failInterruptedUploads(): Promise<number> {
    return runSql(
      this.ds.manager,
      this.dialect,
      `UPDATE intel_imports SET state = 'failed', error_code = 'INTEL_IMPORT_INTERRUPTED',
         error_message = 'the hub stopped before this upload was imported', finished_at = ?
       WHERE state IN ('queued', 'running') AND (requested_by IS NULL OR requested_by <> 'cli')`,
      [instantParam(this.dialect, this.clock())],
    );
  }

  async get(id: string): Promise<IntelImport | null> {
    const [row] = await this.q<ImportRow>('SELECT * FROM intel_imports WHERE id = ?', [id]);
    return row ? view(row) : null;
  }

  async failures(id: string): Promise<string[]> {
    const [row] = await this.q<{ failures: string }>('SELECT failures FROM intel_imports WHERE id = ?', [id]);
    return row ? (JSON.parse(row.failures) as string[]) : [];
  }

  async list(limit: number): Promise<IntelImport[]> {
    return (await this.q<ImportRow>('SELECT * FROM intel_imports ORDER BY seq DESC LIMIT ?', [limit])).map(
      view,
    );
  }

  /** Recomputes a source's totals from the stored rows (cheap aggregate on indexed columns). */
  async refreshSource(source: IntelSource, importId: string): Promise<void> {
    const agg =
      source === 'kev'
        ? 'SELECT COUNT(*) AS n, MAX(date_added) AS m, MAX(date_added) AS p FROM intel_kev'
        : source === 'epss'
          ? 'SELECT COUNT(*) AS n, MAX(score_date) AS m, MAX(score_date) AS p FROM intel_epss'
          : 'SELECT COUNT(*) AS n, MAX(modified) AS m, MAX(published) AS p FROM intel_vulns WHERE source = ?';
    await this.ds.transaction(async (em) => {
      const [row] = await this.q<{ n: number | string; m: string | null; p: string | null }>(
        agg,
        source === 'kev' || source === 'epss' ? [] : [source],
        em,
      );
      await runSql(em, this.dialect, 'DELETE FROM intel_sources WHERE source = ?', [source]);
      await runSql(
        em,
        this.dialect,
        `INSERT INTO intel_sources (source, records, newest_modified, newest_published, last_import_id, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
        [
          source,
          Number(row?.n ?? 0),
          row?.m ?? null,
          row?.p ?? null,
          importId,
          instantParam(this.dialect, this.clock()),
        ],
      );
    });
  }

  async status(): Promise<SourceStatus[]> {
    const rows = await this.q<{
      source: string;
      records: number | string;
      newest_modified: string | null;
      newest_published: string | null;
      last_import_id: string | null;
    }>('SELECT source, records, newest_modified, newest_published, last_import_id FROM intel_sources', []);
    const bySource = new Map(rows.map((r) => [r.source, r]));
    const out: SourceStatus[] = [];
    for (const source of INTEL_SOURCES) {
      const r = bySource.get(source);
      const last = r?.last_import_id ? await this.get(r.last_import_id) : null;
      out.push({
        source,
        records: Number(r?.records ?? 0),
        newestModified: r?.newest_modified ?? null,
        newestPublished: r?.newest_published ?? null,
        lastImport: last ? { id: last.id, state: last.state, finishedAt: last.finishedAt } : null,
      });
    }
    return out;
  }
}
