// The intel domain's façade: imports (file or upload), reads, status, changes.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { dialectOfDataSource } from '../db/data-source.js';
import { hubError } from '../platform/errors.js';
import { IntelEventHub } from './events.js';
import { IntelImporter, type ImportOptions } from './importer.js';
import { IntelStoreReader } from './store/reader.js';
import type { FeedFormat, IntelChange, IntelImport, IntelVulnerability, SourceStatus } from './store-api.js';

export interface IntelServiceOptions {
  dataSource: DataSource;
  clock: () => Date;
  log: Logger;
  uploadMaxBytes: number;
}

export class IntelService {
  readonly reader: IntelStoreReader;
  readonly events: IntelEventHub;
  readonly importer: IntelImporter;
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly o: IntelServiceOptions) {
    this.reader = new IntelStoreReader(o.dataSource, dialectOfDataSource(o.dataSource));
    this.events = new IntelEventHub(o.log);
    this.importer = new IntelImporter(o.dataSource, o.clock, this.events, o.log);
  }

  importFile(path: string, opts: ImportOptions = {}): Promise<IntelImport> {
    return this.importer.importFile(path, opts);
  }

  /**
   * Streams an upload to a temp file (refusing more than uploadMaxBytes), registers the import
   * and runs it in the background. Resolves once the upload is on disk, with the queued import.
   */
  async importUpload(
    body: Readable,
    fileName: string,
    format: FeedFormat | undefined,
    requestedBy: string,
  ): Promise<IntelImport> {
    const dir = await mkdtemp(join(tmpdir(), 'wp-intel-'));
    const file = join(dir, 'upload');
    const limit = this.o.uploadMaxBytes;
    let size = 0;
    const bound = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > limit)
          done(hubError('PAYLOAD_TOO_LARGE', `intel upload larger than ${limit} bytes`, { limit }));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(body, bound, createWriteStream(file));
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    const id = await this.importer.createImport(fileName, format ?? null, size, requestedBy);
    const job = this.importer
      .importFile(file, { format, fileName, requestedBy, importId: id })
      .catch((err: unknown) => this.o.log.error({ err, importId: id }, 'intel upload import crashed'))
      .finally(() => rm(dir, { recursive: true, force: true }));
    this.running.add(job);
    void job.finally(() => this.running.delete(job));
    const queued = await this.importer.imports.get(id);
    if (!queued) throw hubError('INTERNAL', 'import vanished');
    return queued;
  }

  async getImport(id: string): Promise<IntelImport & { failures: string[] }> {
    const imp = await this.importer.imports.get(id);
    if (!imp) throw hubError('NOT_FOUND', 'no such intel import');
    return { ...imp, failures: await this.importer.imports.failures(id) };
  }

  listImports(limit: number): Promise<IntelImport[]> {
    return this.importer.imports.list(limit);
  }

  status(): Promise<SourceStatus[]> {
    return this.importer.imports.status();
  }

  async vulnWithHistory(id: string): Promise<{ vulnerability: IntelVulnerability; changes: IntelChange[] }> {
    const vulnerability = await this.reader.vuln(id);
    if (!vulnerability) throw hubError('NOT_FOUND', 'no intel for that id');
    return { vulnerability, changes: await this.reader.changesOf(vulnerability.id, 200) };
  }

  async changes(since: string | undefined, limit: number): Promise<{ items: IntelChange[]; next: number }> {
    let seq = 0;
    if (since !== undefined && /^\d+$/.test(since)) seq = Number(since);
    else if (since !== undefined) {
      const at = new Date(since);
      if (Number.isNaN(at.getTime()))
        throw hubError('VALIDATION_FAILED', 'since: a change seq or an ISO-8601 instant');
      seq = await this.reader.seqAt(at);
    }
    const items = await this.reader.changes(seq, limit);
    return { items, next: items.at(-1)?.seq ?? seq };
  }

  /** At hub start: uploads the previous process did not finish are marked failed. */
  recoverInterrupted(): Promise<number> {
    return this.importer.imports.failInterruptedUploads();
  }

  /** Waits for background upload imports (server stop, tests). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
