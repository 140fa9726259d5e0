// The pending-upgrade marker (DATA_DIR/upgrade.json) and the pure decisions taken on it. The
// marker outlives processes: the old agent writes it before restarting into the new build, the
// new build confirms it after its first Hello, and whichever process finds it overdue restores
// the previous executable. See README "Upgrade".
import { readFileSync, rmSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../identity/identity.js';

/** A new build that crashes this many times before confirming is rolled back. */
export const MAX_UNCONFIRMED_STARTS = 3;

export const markerSchema = z
  .object({
    taskId: z.string(),
    from: z.string(),
    to: z.string(),
    exe: z.string(),
    prev: z.string(),
    deadlineMs: z.number(),
    confirmTimeoutS: z.number(),
    starts: z.number().int().min(0),
    /** pending: the new build runs or is about to; rolled-back: the previous build was restored. */
    state: z.enum(['pending', 'rolled-back']),
  })
  .strict();
export type UpgradeMarker = z.infer<typeof markerSchema>;

export type StartDecision =
  /** No upgrade in flight (or a marker that no longer describes this executable: dropped). */
  | { action: 'none'; dropMarker: boolean }
  /** The new build starts within its budget: count the start, arm the confirm timer. */
  | { action: 'await-confirm'; marker: UpgradeMarker; timeoutMs: number }
  /** Overdue or crash-looping: restore the previous executable and run it. */
  | { action: 'rollback'; marker: UpgradeMarker; reason: 'deadline' | 'crash-loop' }
  /** The previous build runs again after a rollback: report it once connected. */
  | { action: 'report-rollback'; marker: UpgradeMarker };

export function decideAtStart(
  marker: UpgradeMarker | undefined,
  runningVersion: string,
  nowMs: number,
): StartDecision {
  if (!marker) return { action: 'none', dropMarker: false };
  if (marker.state === 'rolled-back')
    return runningVersion === marker.from
      ? { action: 'report-rollback', marker }
      : { action: 'none', dropMarker: true };
  if (runningVersion !== marker.to) {
    // The old build is still running (the restart has not happened) or something else was
    // installed by hand: the marker is only valid for the build it names.
    return runningVersion === marker.from
      ? { action: 'none', dropMarker: false }
      : { action: 'none', dropMarker: true };
  }
  if (nowMs >= marker.deadlineMs) return { action: 'rollback', marker, reason: 'deadline' };
  if (marker.starts >= MAX_UNCONFIRMED_STARTS) return { action: 'rollback', marker, reason: 'crash-loop' };
  return {
    action: 'await-confirm',
    marker: { ...marker, starts: marker.starts + 1 },
    timeoutMs: marker.deadlineMs - nowMs,
  };
}

export type ConnectedDecision = 'none' | 'completed' | 'rolled-back';

/** After a Hello was accepted (Welcome): what to report and whether to clear the marker. */
export function decideOnConnected(
  marker: UpgradeMarker | undefined,
  runningVersion: string,
): ConnectedDecision {
  if (!marker) return 'none';
  if (marker.state === 'pending' && runningVersion === marker.to) return 'completed';
  if (marker.state === 'rolled-back' && runningVersion === marker.from) return 'rolled-back';
  return 'none';
}

export function readMarker(path: string): UpgradeMarker | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = markerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function writeMarker(path: string, marker: UpgradeMarker): void {
  writeFileAtomic(path, `${JSON.stringify(marker, null, 2)}\n`, 0o600);
}

export function clearMarker(path: string): void {
  rmSync(path, { force: true });
}
