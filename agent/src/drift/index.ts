// Configuration-change monitoring (issue #4): snapshots of watched files and host state, drift
// reports through the outbox. The only import surface of this folder.
export { DriftService, type DriftConfig, type DriftDeps, type SnapshotSummary } from './service.js';
export { mergeWatchSpecs, type WatchSpec } from './watchSpec.js';
export { planSnapshot, snapshotChunks, type SnapshotPlan } from './snapshot.js';
export { STATE_KINDS, type Item, type StateKind } from './types.js';
