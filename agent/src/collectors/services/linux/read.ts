// Thin I/O: systemd when it is the running init, else sysv scripts (fixed argv, no shell).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import {
  mergeSystemd,
  parseServiceStatusAll,
  parseSystemctlUnitFiles,
  parseSystemctlUnits,
  type ServiceRecord,
} from '../parse.js';
import {
  SERVICE_STATUS_ALL_ARGS,
  SYSTEMCTL_UNIT_FILES_ARGS,
  SYSTEMCTL_UNITS_ARGS,
  SYSTEMD_RUNTIME_DIR,
} from '../spec.js';

const run = promisify(execFile);
const OPTS = { maxBuffer: 16 * 1024 * 1024, timeout: 30_000 };

export async function readServices(maxItems: number): Promise<ServiceRecord[] | undefined> {
  if (existsSync(SYSTEMD_RUNTIME_DIR)) {
    const [units, files] = await Promise.all([
      run('systemctl', [...SYSTEMCTL_UNITS_ARGS], OPTS),
      run('systemctl', [...SYSTEMCTL_UNIT_FILES_ARGS], OPTS),
    ]);
    return mergeSystemd(parseSystemctlUnits(units.stdout), parseSystemctlUnitFiles(files.stdout)).slice(
      0,
      maxItems,
    );
  }
  if (!existsSync('/etc/init.d')) return undefined;
  let stdout: string;
  try {
    ({ stdout } = await run('service', [...SERVICE_STATUS_ALL_ARGS], OPTS));
  } catch (err) {
    // `service --status-all` exits non-zero when some script does; its output is still usable.
    const out = (err as { stdout?: unknown }).stdout;
    if (typeof out !== 'string') throw err;
    stdout = out;
  }
  return parseServiceStatusAll(stdout, await sysvEnabled()).slice(0, maxItems);
}

/** A sysv service is enabled when a start link exists in some runlevel directory. */
async function sysvEnabled(): Promise<Set<string>> {
  const enabled = new Set<string>();
  for (const level of ['2', '3', '4', '5', 'S']) {
    try {
      for (const link of await readdir(`/etc/rc${level}.d`)) {
        const m = /^S\d{2}(.+)$/.exec(link);
        if (m?.[1]) enabled.add(m[1]);
      }
    } catch {
      // runlevel directory absent
    }
  }
  return enabled;
}
