// Runs one import: stream the feed, apply it in batches (each its own transaction, progress
// written with it), keep what committed when the feed turns out broken, refresh the source
// totals, then tell subscribers which ids changed.
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { dialectOfDataSource } from '../db/data-source.js';
import { isHubError } from '../platform/errors.js';
import { openFeed, type FeedItem } from './feeds/index.js';
import type { IntelEventHub } from './events.js';
import { ImportsRepository, MAX_KEPT_FAILURES } from './store/imports.js';
import { IntelWriter, type ValidItem } from './store/writer.js';
import type { FeedFormat, ImportCounts, IntelImport, IntelSource } from './store-api.js';

/** Records per transaction: big enough for multi-row INSERTs to pay, small enough to stay light. */
export const IMPORT_BATCH = 500;
/**
 * A batch is also cut after this many input bytes: NVD records with large configurations reach
 * 200 KB each, and 500 of them (plus their JSON and SQL parameters) would not be "light".
 */
export const IMPORT_BATCH_BYTES = 4 * 1024 * 1024;

export interface ImportProgress {
  bytesRead: number;
  bytesTotal: number;
  records: number;
  counts: ImportCounts;
}

export interface ImportOptions {
  format?: FeedFormat | undefined;
  /** Name shown in the import record (an upload's original name); defaults to the path. */
  fileName?: string | undefined;
  requestedBy?: string | null | undefined;
  /** An id from `createImport` (API uploads are registered before the file is complete). */
  importId?: string | undefined;
  onProgress?: ((p: ImportProgress) => void) | undefined;
}

const SOURCE_OF: Record<FeedFormat, IntelSource> = {
  nvd2: 'nvd',
  nvd1: 'nvd',
  cve5: 'cve5',
  osv: 'osv',
  'osv-zip': 'osv',
  'osv-tar': 'osv',
  'debian-tracker': 'debian-tracker',
  kev: 'kev',
  epss: 'epss',
};

export class IntelImporter {
  readonly imports: ImportsRepository;
  private readonly writer: IntelWriter;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ds: DataSource,
    clock: () => Date,
    private readonly events: IntelEventHub,
    private readonly log: Logger,
  ) {
    const dialect = dialectOfDataSource(ds);
    this.imports = new ImportsRepository(ds, dialect, clock);
    this.writer = new IntelWriter(dialect, clock);
  }

  createImport(fileName: string, format: FeedFormat | null, bytesTotal: number, requestedBy: string | null) {
    return this.imports.create(fileName, format, bytesTotal, requestedBy);
  }

  /** Imports run one at a time per process: batches of two feeds never interleave. */
  importFile(file: string, opts: ImportOptions = {}): Promise<IntelImport> {
    const run = this.queue.then(() => this.run(file, opts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(file: string, opts: ImportOptions): Promise<IntelImport> {
    const id =
      opts.importId ??
      (await this.imports.create(opts.fileName ?? file, opts.format ?? null, 0, opts.requestedBy ?? null));
    const counts: ImportCounts = { new: 0, updated: 0, unchanged: 0, failed: 0 };
    const failures: string[] = [];
    const changed = new Set<string>();
    let format: FeedFormat | null = opts.format ?? null;
    let bytesRead = 0;
    let bytesTotal = 0;
    let records = 0;
    const report = () => opts.onProgress?.({ bytesRead, bytesTotal, records, counts });
    let error: { code: string; message: string } | null = null;
    try {
      const feed = await openFeed(file, opts.format, (n) => {
        bytesRead = n;
      });
      format = feed.format;
      bytesTotal = feed.bytesTotal;
      await this.imports.start(id, format, bytesTotal);
      let batch: ValidItem[] = [];
      let batchStart = 0;
      const flush = async () => {
        const items = batch;
        batch = [];
        batchStart = bytesRead;
        await this.ds.transaction(async (em) => {
          const out = await this.writer.apply(em, id, items);
          counts.new += out.new;
          counts.updated += out.updated;
          counts.unchanged += out.unchanged;
          for (const c of out.changedIds) changed.add(c);
          await this.imports.progress(em, id, bytesRead, counts, failures);
        });
        report();
      };
      for await (const item of feed.items as AsyncIterable<FeedItem>) {
        records++;
        if (item.kind === 'invalid') {
          counts.failed++;
          if (failures.length < MAX_KEPT_FAILURES) failures.push(`${item.position}: ${item.message}`);
          continue;
        }
        batch.push(item);
        if (batch.length >= IMPORT_BATCH || bytesRead - batchStart >= IMPORT_BATCH_BYTES) await flush();
      }
      await flush();
    } catch (err) {
      error = isHubError(err)
        ? { code: err.code, message: err.message }
        : {
            code: 'INTEL_FEED_INVALID',
            message: `${file}: ${err instanceof Error ? err.message : String(err)}`,
          };
      this.log.warn({ importId: id, code: error.code, message: error.message }, 'intel import failed');
    }
    await this.imports.finish(id, error ? 'failed' : 'succeeded', changed.size, error);
    if (format !== null) await this.imports.refreshSource(SOURCE_OF[format], id);
    report();
    if (changed.size > 0) await this.events.emit(id, [...changed].sort());
    const done = await this.imports.get(id);
    if (!done) throw new Error(`intel import ${id} vanished`);
    this.log.info({ importId: id, format, state: done.state, counts: done.counts }, 'intel import finished');
    return done;
  }
}
