import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { testdata } from '../../testing/paths.js';
import {
  mergeSystemd,
  parseServiceStatusAll,
  parseSystemctlUnitFiles,
  parseSystemctlUnits,
} from './parse.js';

const read = (name: string): string => readFileSync(testdata(name), 'utf8');

test('systemd units and unit files merge into running/enabled', () => {
  const services = mergeSystemd(
    parseSystemctlUnits(read('handmade-systemctl-units')),
    parseSystemctlUnitFiles(read('handmade-systemctl-unit-files')),
  );
  const byName = Object.fromEntries(
    services.map((s) => [
      s.name,
      `${s.running ? 'running' : 'stopped'}/${s.enabled ? 'enabled' : 'disabled'}`,
    ]),
  );
  assert.deepEqual(byName, {
    broken: 'stopped/disabled',
    cron: 'running/enabled',
    ssh: 'running/enabled',
    sshd: 'stopped/enabled',
    'systemd-fsck-root': 'stopped/enabled',
    rsync: 'stopped/disabled',
  });
  assert.ok(services.every((s) => s.manager === 'systemd'));
});

test('sysv service --status-all', () => {
  const services = parseServiceStatusAll(read('handmade-service-status-all'), new Set(['ssh']));
  assert.deepEqual(
    services.map((s) => `${s.name}:${s.running}:${s.enabled}`),
    ['dbus:false:false', 'hwclock.sh:false:false', 'postgresql:true:false', 'ssh:true:true'],
  );
});
