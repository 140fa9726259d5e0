// The .deb layout (dpkg-deb --build under fakeroot so every file is root-owned in the archive).
// The executable lives in /usr/lib/watchpost-agent/ (owned by the service user, so a signed
// self-upgrade can swap it atomically) and /usr/bin/watchpost-agent links to it.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const here = resolve(import.meta.dirname);
export const DEFAULT_AGENT_CONFIG = `${JSON.stringify({ scope: ['127.0.0.1/32'] }, null, 2)}\n`;

const POSTINST = `#!/bin/sh
set -e
if [ "$1" = configure ]; then
  if ! getent passwd watchpost-agent >/dev/null; then
    adduser --system --group --home /var/lib/watchpost-agent --no-create-home watchpost-agent >/dev/null
  fi
  install -d -o watchpost-agent -g watchpost-agent -m 0700 /var/lib/watchpost-agent
  chown watchpost-agent:watchpost-agent /usr/lib/watchpost-agent /usr/lib/watchpost-agent/watchpost-agent
  # The agent reads DATA_DIR/agent.json; the operator edits the conffile in /etc.
  ln -sfn /etc/watchpost-agent/agent.json /var/lib/watchpost-agent/agent.json
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null || true
    if [ -f /var/lib/watchpost-agent/identity.json ]; then
      systemctl enable watchpost-agent.service >/dev/null || true
      systemctl restart watchpost-agent.service >/dev/null || true
    fi
  fi
fi
exit 0
`;

const PRERM = `#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "$1" = remove ]; then
  systemctl disable --now watchpost-agent.service >/dev/null 2>&1 || true
fi
exit 0
`;

const POSTRM = `#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || true; fi
if [ "$1" = purge ]; then
  rm -rf /var/lib/watchpost-agent /usr/lib/watchpost-agent
  if getent passwd watchpost-agent >/dev/null; then deluser --system watchpost-agent >/dev/null 2>&1 || true; fi
fi
exit 0
`;

export function debControl(version: string, installedKb: number): string {
  return [
    'Package: watchpost-agent',
    `Version: ${version}`,
    'Architecture: amd64',
    'Maintainer: Watchpost <security@watchpost.invalid>',
    `Installed-Size: ${installedKb}`,
    'Depends: adduser',
    'Recommends: nmap',
    'Section: admin',
    'Priority: optional',
    'Description: Watchpost security agent',
    ' Inventories its host, discovers its network inside its scope and streams',
    ' the results durably to its Watchpost hub. Single executable, no Node.js needed.',
    '',
  ].join('\n');
}

export function buildDeb(o: { binary: string; version: string; out: string; work: string }): string {
  const root = join(o.work, 'deb');
  rmSync(root, { recursive: true, force: true });
  const d = (p: string) => {
    mkdirSync(join(root, p), { recursive: true, mode: 0o755 });
    return join(root, p);
  };
  copyFileSync(o.binary, join(d('usr/lib/watchpost-agent'), 'watchpost-agent'));
  chmodSync(join(root, 'usr/lib/watchpost-agent/watchpost-agent'), 0o755);
  symlinkSync('../lib/watchpost-agent/watchpost-agent', join(d('usr/bin'), 'watchpost-agent'));
  copyFileSync(
    join(here, 'watchpost-agent.service'),
    join(d('lib/systemd/system'), 'watchpost-agent.service'),
  );
  writeFileSync(join(d('etc/watchpost-agent'), 'agent.json'), DEFAULT_AGENT_CONFIG, { mode: 0o644 });
  const sizeKb = Math.ceil(Number(execFileSync('du', ['-sk', root]).toString().split('\t')[0]));
  const debian = d('DEBIAN');
  writeFileSync(join(debian, 'control'), debControl(o.version, sizeKb));
  writeFileSync(join(debian, 'conffiles'), '/etc/watchpost-agent/agent.json\n');
  for (const [name, text] of [
    ['postinst', POSTINST],
    ['prerm', PRERM],
    ['postrm', POSTRM],
  ] as const)
    writeFileSync(join(debian, name), text, { mode: 0o755 });
  const deb = join(o.out, `watchpost-agent_${o.version}_amd64.deb`);
  rmSync(deb, { force: true });
  execFileSync('fakeroot', ['dpkg-deb', '-Zxz', '-z1', '--build', root, deb], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return deb;
}
