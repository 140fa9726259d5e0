// Collects inventory at start, on schedule and on task, queues reports through the outbox, and
// remembers (durably) the digests of the last report the hub acknowledged, so unchanged sections
// are not re-sent. The first report after start is always full.
import { z } from 'zod';
import { collectSections, type Sections } from '../collectors/index.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { Outbox } from '../outbox/index.js';
import { jsonValue, type Store } from '../state/store.js';
import { buildReport } from './report.js';

const ACKED_DIGESTS_KEY = 'inventory.ackedDigests';
const digestsSchema = z.record(z.string(), z.string());

export interface InventoryDeps {
  store: Store;
  outbox: Outbox;
  log: Logger;
  collect?: (log: Logger) => Promise<Sections>;
}

export class InventoryService {
  private acked: Record<string, string> = {};
  private readonly pending = new Map<number, Record<string, string>>();
  private sentFullSinceStart = false;
  private running: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly deps: InventoryDeps) {}

  static async open(deps: InventoryDeps): Promise<InventoryService> {
    const service = new InventoryService(deps);
    const stored = await deps.store.meta.get(ACKED_DIGESTS_KEY);
    const parsed = digestsSchema.safeParse(stored ? JSON.parse(stored.toString('utf8')) : {});
    service.acked = parsed.success ? parsed.data : {};
    deps.outbox.on('acked', (upTo) => void service.onAcked(upTo));
    deps.outbox.on('rejected', (seq) => service.pending.delete(seq));
    return service;
  }

  /** Collects now (one collection at a time) and queues the report; returns a summary. */
  collectAndQueue(full: boolean): Promise<Record<string, unknown>> {
    const next = this.running.then(() => this.collectOnce(full));
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Reports at start and then every intervalS seconds. */
  schedule(intervalS: number): void {
    const tick = (): void => {
      this.collectAndQueue(false).catch((err: unknown) =>
        this.deps.log.error({ err: errorMessage(err) }, 'scheduled inventory failed'),
      );
    };
    tick();
    this.timer = setInterval(tick, intervalS * 1000);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Resolves when no collection is running. */
  async settled(): Promise<void> {
    await this.running;
  }

  ackedDigests(): Readonly<Record<string, string>> {
    return this.acked;
  }

  private async collectOnce(full: boolean): Promise<Record<string, unknown>> {
    const started = Date.now();
    const sections = await (this.deps.collect ?? collectSections)(this.deps.log);
    const built = buildReport(sections, this.acked, full || !this.sentFullSinceStart, Date.now());
    const [seq] = await this.deps.outbox.append([{ inventory: built.report }]);
    if (seq === undefined) throw new Error('outbox returned no seq');
    this.sentFullSinceStart = true;
    this.pending.set(seq, built.digests);
    const summary = {
      seq,
      sections: built.sent,
      unchangedSections: built.unchanged,
      missingSections: built.missing,
      packages: sections.packages?.length ?? 0,
      processes: sections.processes?.length ?? 0,
    };
    this.deps.log.info({ ...summary, ms: Date.now() - started }, 'inventory report queued');
    return summary;
  }

  private async onAcked(upTo: number): Promise<void> {
    let changed = false;
    for (const [seq, digests] of [...this.pending].sort(([a], [b]) => a - b)) {
      if (seq > upTo) break;
      this.acked = { ...this.acked, ...digests };
      this.pending.delete(seq);
      changed = true;
    }
    if (!changed) return;
    try {
      await this.deps.store.meta.put(ACKED_DIGESTS_KEY, jsonValue(this.acked));
    } catch (err) {
      this.deps.log.warn({ err: errorMessage(err) }, 'could not store acked inventory digests');
    }
  }
}
