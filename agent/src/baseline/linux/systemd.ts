// systemd unit state read from the filesystem (no D-Bus, no running systemd needed), so the same
// code answers for "/" and for a prepared test tree. Enablement is what `systemctl enable`
// leaves behind: symlinks in /etc/systemd/system/<target>.wants|.requires; masking is a symlink
// of the unit itself to /dev/null.
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServiceState } from '../host.js';

const UNIT_DIRS = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/lib/systemd/system',
  '/usr/lib/systemd/system',
];
const ENABLE_DIR = '/etc/systemd/system';

/** "sshd" → "sshd.service"; names with a unit suffix stay as they are. */
export function unitName(name: string): string {
  return /\.(service|socket|timer|target|mount|path|slice|scope|swap|automount)$/.test(name)
    ? name
    : `${name}.service`;
}

async function isSymlinkTo(path: string, target: string): Promise<boolean> {
  try {
    return (await readlink(path)) === target;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Names of units enabled somewhere under <root>/etc/systemd/system/*.{wants,requires}. */
export async function enabledUnits(root: string): Promise<Set<string>> {
  const out = new Set<string>();
  let dirs: string[];
  try {
    dirs = await readdir(join(root, ENABLE_DIR));
  } catch {
    return out;
  }
  for (const d of dirs) {
    if (!d.endsWith('.wants') && !d.endsWith('.requires')) continue;
    try {
      for (const unit of await readdir(join(root, ENABLE_DIR, d))) out.add(unit);
    } catch {
      // not a directory or unreadable: nothing enabled through it
    }
  }
  return out;
}

export async function readUnitState(
  root: string,
  unit: string,
  enabled: ReadonlySet<string>,
): Promise<ServiceState> {
  const masked = await isSymlinkTo(join(root, ENABLE_DIR, unit), '/dev/null');
  let found = false;
  for (const dir of UNIT_DIRS) {
    if (await exists(join(root, dir, unit))) {
      found = true;
      break;
    }
  }
  return { exists: found, masked, enabled: !masked && enabled.has(unit) };
}
