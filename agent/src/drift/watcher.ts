// Real-time watching with fs.watch (inotify). Directories are watched, never single files: an
// editor that saves by writing a temp file and renaming it over the original replaces the
// inode, which a watch on the file itself would silently lose. A watched file is therefore
// seen through its parent directory, filtered to its name.
import { watch, type FSWatcher } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { dirname, basename } from 'node:path';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { hostPath } from './files.js';

export interface WatchTarget {
  /** Logical directory. */
  dir: string;
  /** 'all' = every entry is watched; else only these names (files watched via their parent). */
  names: 'all' | Set<string>;
}

export interface RealtimeWatcherOptions {
  root: string;
  maxWatchers: number;
  log: Logger;
  /** A logical path that may have changed. */
  onEvent: (path: string) => void;
}

const MAX_DEPTH = 32;

export class RealtimeWatcher {
  private readonly watchers = new Map<string, { watcher: FSWatcher; target: WatchTarget }>();
  private warnedLimit = false;

  constructor(private readonly opts: RealtimeWatcherOptions) {}

  /** Re-arms watchers for `paths` (adds missing, closes unneeded). Cheap to call again. */
  async update(paths: readonly string[]): Promise<void> {
    const targets = await this.targets(paths);
    for (const [dir, w] of this.watchers) {
      if (!targets.has(dir)) {
        w.watcher.close();
        this.watchers.delete(dir);
      }
    }
    for (const target of targets.values()) {
      const existing = this.watchers.get(target.dir);
      if (existing) {
        existing.target.names = target.names; // a policy may have widened the filter
        continue;
      }
      this.arm(target);
    }
  }

  size(): number {
    return this.watchers.size;
  }

  close(): void {
    for (const w of this.watchers.values()) w.watcher.close();
    this.watchers.clear();
  }

  private arm(target: WatchTarget): void {
    let watcher: FSWatcher;
    try {
      watcher = watch(hostPath(this.opts.root, target.dir), { persistent: false }, (_event, name) =>
        this.dispatch(target, name ?? undefined),
      );
    } catch (err) {
      this.opts.log.debug({ dir: target.dir, err: errorMessage(err) }, 'drift: cannot watch directory');
      return;
    }
    // A watched directory that is deleted errors out; the next scan re-arms what exists again.
    watcher.on('error', () => {
      watcher.close();
      if (this.watchers.get(target.dir)?.watcher === watcher) this.watchers.delete(target.dir);
      // Only what this watch covered is rescanned (a parent watched for one file is not).
      this.dispatch(target, undefined);
    });
    this.watchers.set(target.dir, { watcher, target });
  }

  private dispatch(target: WatchTarget, name: string | undefined): void {
    const join = (n: string): string => (target.dir === '/' ? `/${n}` : `${target.dir}/${n}`);
    if (name === undefined) {
      // The kernel queue overflowed or the name is unknown: everything watched here may have changed.
      if (target.names === 'all') this.opts.onEvent(target.dir);
      else for (const n of target.names) this.opts.onEvent(join(n));
      return;
    }
    if (target.names === 'all' || target.names.has(name)) this.opts.onEvent(join(name));
  }

  private async targets(paths: readonly string[]): Promise<Map<string, WatchTarget>> {
    const out = new Map<string, WatchTarget>();
    const add = (dir: string, name: string | undefined): boolean => {
      const existing = out.get(dir);
      if (!existing) {
        if (out.size >= this.opts.maxWatchers) {
          if (!this.warnedLimit)
            this.opts.log.warn(
              { maxWatchers: this.opts.maxWatchers },
              'drift: real-time watch limit reached',
            );
          this.warnedLimit = true;
          return false;
        }
        out.set(dir, { dir, names: name === undefined ? 'all' : new Set([name]) });
      } else if (name === undefined) existing.names = 'all';
      else if (existing.names !== 'all') existing.names.add(name);
      return true;
    };
    const walk = async (dir: string, depth: number): Promise<void> => {
      if (!add(dir, undefined) || depth >= MAX_DEPTH) return;
      const entries = await readdir(hostPath(this.opts.root, dir), { withFileTypes: true }).catch(() => []);
      for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1)))
        if (e.isDirectory()) await walk(dir === '/' ? `/${e.name}` : `${dir}/${e.name}`, depth + 1);
    };
    for (const path of paths) {
      const stats = await lstat(hostPath(this.opts.root, path)).catch(() => undefined);
      if (stats?.isDirectory()) {
        await walk(path, 0);
        // Its own replacement or removal shows in the parent.
        if (path !== '/') add(dirname(path), basename(path));
      } else if (path !== '/') add(dirname(path), basename(path));
    }
    return out;
  }
}
