// Configuration-change monitoring: a full snapshot the first time (or after lost state, or when
// the policies change what is watched), then a periodic scan that sends only changes, plus
// real-time watching of the `realtime` paths whose bursts are coalesced per path. Every pass
// runs one at a time against the stored state, so a change is reported once, whoever sees it.
import { randomUUID } from 'node:crypto';
import { watchpost, type PolicyDocument } from '@watchpost/proto';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { Outbox } from '../outbox/index.js';
import type { Store } from '../state/store.js';
import { Coalescer, realTimers, type Burst, type Timers } from './coalesce.js';
import { compareSnapshots, StreamingCompare } from './compare.js';
import { emitChanges, emitFull, type ChangeTiming, type EmitDeps } from './emit.js';
import { scanPaths } from './files.js';
import { fileScanContext, planSnapshot, snapshotChunks, type SnapshotContext } from './snapshot.js';
import { DriftState } from './stateStore.js';
import { itemId } from './types.js';
import { RealtimeWatcher } from './watcher.js';
import { mergeWatchSpecs, specDigest, type WatchSpec } from './watchSpec.js';

export interface DriftConfig {
  maxFiles: number;
  maxFileBytesForDiff: number;
  coalesceMs: number;
  realtime: boolean;
  maxWatchers: number;
}

export interface DriftDeps {
  store: Store;
  outbox: Outbox;
  log: Logger;
  config: DriftConfig;
  /** Host root prefix (config `baseline.root`, '/' in production). */
  root: string;
  /** The applied policies' documents. */
  documents: () => readonly PolicyDocument[];
  now?: () => number;
  timers?: Timers;
}

export interface SnapshotSummary {
  snapshotId: string;
  items: number;
  chunks: number;
  truncated: boolean;
}

const SOURCE = watchpost.v1.DriftSource;
/**
 * A save is several inotify events (open with O_TRUNC, then write, sometimes a chmod); events
 * of one path closer than this count as one, so `coalesced` approximates the number of saves.
 */
const SAME_EVENT_MS = 5;

export class DriftService {
  private readonly state: DriftState;
  private readonly coalescer: Coalescer;
  private readonly watcher: RealtimeWatcher;
  private readonly now: () => number;
  private spec: WatchSpec | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private scanTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: DriftDeps) {
    this.state = new DriftState(deps.store);
    this.now = deps.now ?? Date.now;
    this.coalescer = new Coalescer({
      quietMs: deps.config.coalesceMs,
      maxWaitMs: deps.config.coalesceMs * 10,
      maxPending: 10_000,
      sameEventMs: SAME_EVENT_MS,
      now: this.now,
      timers: deps.timers ?? realTimers,
      onFlush: (bursts) => void this.background(() => this.flush(bursts)),
      onOverflow: () => void this.background(() => this.scan()),
    });
    this.watcher = new RealtimeWatcher({
      root: deps.root,
      maxWatchers: deps.config.maxWatchers,
      log: deps.log,
      onEvent: (path) => this.coalescer.record(path),
    });
  }

  /** First pass: full snapshot when there is no usable state, else a scan for what changed while down. */
  start(): Promise<void> {
    return this.background(() => this.refresh());
  }

  /** The applied policies changed: recompute what is watched. */
  policiesChanged(): Promise<void> {
    return this.background(() => this.refresh());
  }

  /** BaselineEvaluate{snapshot}: a full snapshot now, whatever the stored state. */
  fullSnapshot(): Promise<SnapshotSummary> {
    return this.exclusive(() => this.snapshot(this.spec ?? this.currentSpec()));
  }

  /** One periodic pass now; returns the number of changes sent. */
  scanNow(): Promise<number> {
    return this.exclusive(() => this.scan());
  }

  stop(): void {
    this.stopped = true;
    if (this.scanTimer) clearTimeout(this.scanTimer);
    this.watcher.close();
    this.coalescer.drain();
  }

  settled(): Promise<unknown> {
    return this.queue;
  }

  watchedDirectories(): number {
    return this.watcher.size();
  }

  private currentSpec(): WatchSpec | undefined {
    return mergeWatchSpecs(this.deps.documents());
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => fn());
    this.queue = run.catch((err: unknown) => {
      if (!this.stopped) this.deps.log.error({ err: errorMessage(err) }, 'drift: pass failed');
    });
    return run;
  }

  /** Fire-and-forget passes: a failure is logged (by `exclusive`) and the next pass retries. */
  private background(fn: () => Promise<unknown>): Promise<void> {
    return this.exclusive(fn).then(
      () => undefined,
      () => undefined,
    );
  }

  private async refresh(): Promise<void> {
    if (this.stopped) return;
    this.spec = this.currentSpec();
    const spec = this.spec;
    if (!spec) {
      this.watcher.close();
      this.coalescer.drain();
      if (this.scanTimer) clearTimeout(this.scanTimer);
      return;
    }
    const meta = await this.state.meta();
    if (!meta || meta.specDigest !== specDigest(spec)) await this.snapshot(spec);
    else await this.scan();
    await this.arm();
  }

  private async arm(): Promise<void> {
    await this.armWatchers();
    const spec = this.spec;
    if (!spec || this.stopped) return;
    if (this.scanTimer) clearTimeout(this.scanTimer);
    this.scanTimer = setTimeout(() => void this.background(() => this.periodic()), spec.intervalS * 1000);
    this.scanTimer.unref();
  }

  private async armWatchers(): Promise<void> {
    const spec = this.spec;
    if (spec && !this.stopped && this.deps.config.realtime) await this.watcher.update(spec.realtime);
  }

  private async periodic(): Promise<void> {
    await this.scan();
    await this.arm(); // also re-arms watchers on directories created or replaced since
  }

  private snapshotContext(): SnapshotContext {
    return { root: this.deps.root, limits: this.deps.config, log: this.deps.log, now: this.now };
  }

  private async snapshot(spec: WatchSpec | undefined): Promise<SnapshotSummary> {
    const snapshotId = randomUUID();
    const plan = spec ? await planSnapshot(spec, this.snapshotContext()) : undefined;
    // Pending bursts are superseded: the snapshot is the new reference.
    this.coalescer.drain();
    const meta = {
      snapshotId,
      takenAtMs: plan?.takenAtMs ?? this.now(),
      specDigest: spec ? specDigest(spec) : '',
    };
    const sent = await emitFull(
      this.emitDeps(),
      meta,
      plan?.chunkCount ?? 0,
      plan ? snapshotChunks(plan) : [],
    );
    this.deps.log.info({ snapshotId, ...sent }, 'drift: full snapshot queued');
    return { snapshotId, ...sent, truncated: plan?.truncated ?? false };
  }

  /** Compares chunk by chunk and sends each chunk's changes at once (bounded memory). */
  private async scan(): Promise<number> {
    const spec = this.spec;
    if (!spec || this.stopped) return 0;
    const plan = await planSnapshot(spec, this.snapshotContext());
    const compare = new StreamingCompare(await this.state.items(), { kinds: plan.covered });
    const at = plan.takenAtMs;
    const timing = (): ChangeTiming => ({ coalesced: 1, firstSeenMs: at, lastSeenMs: at });
    let sent = 0;
    for await (const items of snapshotChunks(plan)) {
      sent += await emitChanges(this.emitDeps(), compare.add(items), SOURCE.DRIFT_SOURCE_SCAN, timing, at);
    }
    sent += await emitChanges(this.emitDeps(), compare.removed(), SOURCE.DRIFT_SOURCE_SCAN, timing, at);
    if (sent > 0) this.deps.log.info({ changes: sent }, 'drift: changes found by scan');
    return sent;
  }

  private emitDeps(): EmitDeps {
    return { state: this.state, outbox: this.deps.outbox };
  }

  /** Bursts ended: rescan just those paths and report what differs from the stored state. */
  private async flush(bursts: readonly Burst[]): Promise<void> {
    const spec = this.spec;
    if (!spec || this.stopped) return;
    const ctx = await fileScanContext(spec, this.snapshotContext());
    const byPath = new Map(bursts.map((b) => [b.key, b] as const));
    const result = await scanPaths([...byPath.keys()], ctx);
    const after = new Map(result.items.map((i) => [itemId(i.kind, i.key), i] as const));
    const prefixes = [...byPath.keys()];
    // Only the rescanned subtrees are read back (a range per path), not the whole snapshot.
    const before = await this.state.itemsUnder(['file', 'directory'], prefixes);
    const changes = compareSnapshots(before, after, {
      kinds: new Set(result.truncated ? [] : ['file', 'directory']),
      keyPrefixes: prefixes,
    });
    const burstOf = (key: string): Burst | undefined => {
      for (let p = key; ; p = p.slice(0, Math.max(p.lastIndexOf('/'), 1))) {
        const b = byPath.get(p);
        if (b || p === '/') return b;
      }
    };
    const sent = await emitChanges(
      this.emitDeps(),
      changes,
      SOURCE.DRIFT_SOURCE_WATCH,
      (c) => {
        const b = burstOf(c.key);
        return {
          coalesced: b?.count ?? 1,
          firstSeenMs: b?.firstSeenMs ?? this.now(),
          lastSeenMs: b?.lastSeenMs ?? this.now(),
        };
      },
      this.now(),
    );
    if (sent > 0) this.deps.log.info({ changes: sent, paths: prefixes.length }, 'drift: watched changes');
    if (changes.some((c) => c.kind === 'directory' && c.change === 'added')) await this.armWatchers();
  }
}
