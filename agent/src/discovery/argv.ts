// ScanTask → nmap argv (pure). A fixed argv, never a shell: every value is validated or generated
// here, and the targets (already canonicalised by scope.ts) come last, after `--`, so nothing
// in them can be read as an option.
//
// Choices, documented in agent/README.md "Scans":
// - No -n: reverse DNS gives the hostnames the ledger correlates on (it uses the host's resolver).
// - Root → nmap's default SYN scan; otherwise -sT (connect scan): SYN needs raw sockets.
// - SERVICE uses nmap's default version intensity (7), not --version-light: light misses
//   products such as NATS and Mosquitto that the asset ledger must name.
// - -Pn is not added: discovery decides what is up. Loopback always answers.
import { watchpost } from '@watchpost/proto';
import { SCAN_LIMITS } from './spec.js';

const { ScanProfile } = watchpost.v1;

export class ScanParamsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScanParamsError';
  }
}

export const PORT_SPEC_LIMITS = { maxLength: 2048, maxItems: 1000 } as const;

/** Validates an nmap port list "22,80,8000-8100" (TCP, 1..65535, ranges ascending). */
export function validatePorts(spec: string): string {
  if (spec.length > PORT_SPEC_LIMITS.maxLength) throw new ScanParamsError('port list too long');
  const items = spec.split(',');
  if (items.length > PORT_SPEC_LIMITS.maxItems) throw new ScanParamsError('too many port list items');
  for (const item of items) {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(item);
    const lo = Number(m?.[1]);
    const hi = m?.[2] === undefined ? lo : Number(m[2]);
    if (!m || lo < 1 || hi > 65535 || lo > hi)
      throw new ScanParamsError(`invalid port list item ${JSON.stringify(item.slice(0, 20))}`);
  }
  return spec;
}

export interface ArgvOptions {
  /** Root may use raw sockets (SYN scan); others get a connect scan. */
  privileged: boolean;
  /** IPv6 targets: nmap needs -6 (a scan is one family, see scope.ts). */
  ipv6: boolean;
}

export function buildNmapArgv(
  scan: watchpost.v1.IScanTask,
  targets: readonly string[],
  opts: ArgvOptions,
): string[] {
  const argv: string[] = [];
  const ports = scan.ports ?? '';
  const topPorts = scan.topPorts || SCAN_LIMITS.defaultTopPorts;
  if (topPorts > 65535) throw new ScanParamsError('top_ports must be 1..65535');
  const portArgs = ports !== '' ? ['-p', validatePorts(ports)] : ['--top-ports', String(topPorts)];
  switch (scan.profile) {
    case ScanProfile.SCAN_PROFILE_DISCOVERY:
      if (ports !== '') throw new ScanParamsError('a discovery scan takes no ports');
      argv.push('-sn');
      break;
    case ScanProfile.SCAN_PROFILE_TOP_PORTS:
      argv.push(...portArgs);
      break;
    case ScanProfile.SCAN_PROFILE_FULL:
      if (ports !== '') throw new ScanParamsError('a full scan takes no port list');
      argv.push('-p-');
      break;
    case ScanProfile.SCAN_PROFILE_SERVICE:
      argv.push('-sV', ...portArgs);
      break;
    default:
      throw new ScanParamsError(`unsupported scan profile ${String(scan.profile)}`);
  }
  if (scan.profile !== ScanProfile.SCAN_PROFILE_DISCOVERY && !opts.privileged) argv.unshift('-sT');
  if (opts.ipv6) argv.push('-6');
  if (scan.maxRate) argv.push('--max-rate', String(scan.maxRate));
  // --host-timeout keeps one stuck host from eating the whole scan's time budget.
  if (scan.timeoutS) argv.push('--host-timeout', `${scan.timeoutS}s`);
  argv.push('--stats-every', SCAN_LIMITS.statsEvery, '-oX', '-', '--', ...targets);
  if (targets.length === 0) throw new ScanParamsError('no targets');
  return argv;
}
