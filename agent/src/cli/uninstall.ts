// `uninstall [--prefix P] [--purge]`: undoes install.sh (or hands over to dpkg when the .deb
// installed the agent). Only the agent's own fixed paths are removed; state and config only
// with --purge.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CliArgs } from '../cli.js';
import { agentError } from '../errors.js';
import { printJson } from './common.js';

const UNIT = 'watchpost-agent.service';

function dpkgOwnsAgent(): boolean {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', 'watchpost-agent'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

export function uninstallCommand(args: CliArgs): number {
  const prefix = args.prefix ?? '/';
  const live = prefix === '/';
  if (live && process.getuid?.() !== 0)
    throw agentError('USAGE', 'uninstall from / needs root (or use --prefix)');
  if (live && dpkgOwnsAgent()) {
    // dpkg runs the package's prerm/postrm (service stop, user removal on purge).
    const r = spawnSync('dpkg', [args.purge ? '--purge' : '--remove', 'watchpost-agent'], {
      stdio: 'inherit',
    });
    return r.status ?? 1;
  }
  const systemd = live && existsSync('/run/systemd/system');
  if (systemd) spawnSync('systemctl', ['disable', '--now', UNIT], { stdio: 'ignore' });
  const root = live ? '/' : prefix;
  const targets = [
    join(root, 'usr/bin/watchpost-agent'),
    join(root, 'usr/lib/watchpost-agent'),
    join(root, 'lib/systemd/system', UNIT),
  ];
  if (args.purge)
    targets.push(join(root, 'etc/watchpost-agent'), args.dataDir ?? join(root, 'var/lib/watchpost-agent'));
  const removed: string[] = [];
  for (const t of targets) {
    if (!exists(t)) continue;
    rmSync(t, { recursive: true, force: true });
    removed.push(t);
  }
  if (systemd) spawnSync('systemctl', ['daemon-reload'], { stdio: 'ignore' });
  if (args.json) printJson({ removed, purged: args.purge });
  else process.stdout.write(removed.length ? `removed:\n  ${removed.join('\n  ')}\n` : 'nothing to remove\n');
  return 0;
}
