// What to watch: the union of the `watch` blocks of every applied policy, plus the sysctl keys
// their rules read. Pure.
import type { PolicyDocument } from '@watchpost/proto';
import { normalisePath } from './files.js';
import { DEFAULT_SYSCTL_KEYS, isSysctlKey, MAX_SYSCTL_KEYS } from './stateParse.js';
import { sha256Hex, STATE_KINDS, type StateKind } from './types.js';

export interface WatchSpec {
  /** Logical paths scanned (files, or directories recursively); includes the realtime ones. */
  paths: string[];
  /** Paths watched with inotify. */
  realtime: string[];
  secrets: string[];
  state: Set<StateKind>;
  sysctlKeys: string[];
  /** Shortest periodic-scan interval asked for by any policy. */
  intervalS: number;
}

const DEFAULT_INTERVAL_S = 3600;

export function mergeWatchSpecs(documents: readonly PolicyDocument[]): WatchSpec | undefined {
  const watching = documents.filter((d) => d.watch !== undefined);
  if (watching.length === 0) return undefined;
  const paths = new Set<string>();
  const realtime = new Set<string>();
  const secrets = new Set<string>();
  const state = new Set<StateKind>();
  let intervalS = Number.POSITIVE_INFINITY;
  for (const doc of watching) {
    const w = doc.watch;
    if (!w) continue;
    for (const p of [...w.paths, ...w.realtime]) {
      const n = normalisePath(p);
      if (n) paths.add(n);
    }
    for (const p of w.realtime) {
      const n = normalisePath(p);
      if (n) realtime.add(n);
    }
    for (const s of w.secrets) secrets.add(s);
    for (const k of w.state) state.add(k);
    intervalS = Math.min(intervalS, w.intervalS);
  }
  return {
    paths: [...paths].sort(),
    realtime: [...realtime].sort(),
    secrets: [...secrets].sort(),
    state: new Set(STATE_KINDS.filter((k) => state.has(k))),
    sysctlKeys: state.has('sysctl') ? sysctlKeysOf(documents) : [],
    intervalS: Number.isFinite(intervalS) ? intervalS : DEFAULT_INTERVAL_S,
  };
}

/** Keys read by the policies' sysctl rules (checks and requirements), then the default list. */
export function sysctlKeysOf(documents: readonly PolicyDocument[]): string[] {
  const keys = new Set<string>();
  for (const doc of documents) {
    const rules = [...doc.checks.flatMap((c) => c.rules), ...(doc.requirements?.rules ?? [])];
    for (const r of rules) if (r.kind === 'sysctl' && isSysctlKey(r.key)) keys.add(r.key);
  }
  for (const k of DEFAULT_SYSCTL_KEYS) keys.add(k);
  return [...keys].slice(0, MAX_SYSCTL_KEYS).sort();
}

/** Identifies what is covered; when it changes the agent sends a new full snapshot. */
export function specDigest(spec: WatchSpec): string {
  return sha256Hex(
    JSON.stringify({
      paths: spec.paths,
      secrets: spec.secrets,
      state: [...spec.state],
      sysctlKeys: spec.sysctlKeys,
    }),
  );
}
