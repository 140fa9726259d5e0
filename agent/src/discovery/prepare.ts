// Validates a ScanTask against the agent's scope and builds the nmap argv (pure): everything
// that can refuse a scan happens here, before anything is accepted or spawned.
import type { watchpost } from '@watchpost/proto';
import { buildNmapArgv, ScanParamsError } from './argv.js';
import { checkTargets, nmapTargets } from './scope.js';

export type PreparedScan =
  | { ok: true; argv: string[] }
  | { ok: false; code: 'SCOPE_VIOLATION'; reason: string; target: string }
  | { ok: false; code: 'INVALID_PARAMS'; reason: string };

export function prepareScan(
  scan: watchpost.v1.IScanTask,
  scope: readonly string[],
  opts: { privileged: boolean },
): PreparedScan {
  const verdict = checkTargets(scan.targets ?? [], scope);
  if (!verdict.ok) {
    return verdict.code === 'SCOPE_VIOLATION'
      ? { ok: false, code: verdict.code, reason: verdict.reason, target: verdict.target }
      : { ok: false, code: verdict.code, reason: verdict.reason };
  }
  try {
    const ipv6 = verdict.targets[0]?.family === 6;
    return { ok: true, argv: buildNmapArgv(scan, nmapTargets(verdict.targets), { ...opts, ipv6 }) };
  } catch (err) {
    if (err instanceof ScanParamsError) return { ok: false, code: 'INVALID_PARAMS', reason: err.message };
    throw err;
  }
}
