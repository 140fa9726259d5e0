import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  capabilitiesCheck,
  CAP_NET_RAW,
  clockCheck,
  diskCheck,
  hasCap,
  nmapCheck,
  parseCapEff,
  parseNmapVersion,
  worst,
} from './checks.js';

// Hand-made from `nmap --version` (Debian 12) and /proc/self/status of a root and a plain shell.
const NMAP_793 =
  'Nmap version 7.93 ( https://nmap.org )\nPlatform: x86_64-pc-linux-gnu\nCompiled with: liblua-5.3.6 openssl-3.0.8\n';
const STATUS_ROOT =
  'Name:\tbash\nCapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\n';
const STATUS_USER =
  'Name:\tbash\nCapInh:\t0000000000000000\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n';
const STATUS_NET_RAW = 'CapEff:\t0000000000003000\n';

test('nmap version parsing', () => {
  assert.equal(parseNmapVersion(NMAP_793), '7.93');
  assert.equal(parseNmapVersion('Nmap version 7.80SVN ( https://nmap.org )'), '7.80');
  assert.equal(parseNmapVersion('bash: nmap: command not found'), null);
  assert.equal(nmapCheck(NMAP_793).status, 'ok');
  assert.equal(nmapCheck(null).status, 'warn');
  assert.equal(nmapCheck('something else').status, 'fail');
  assert.equal(nmapCheck('Nmap version 6.40 ( http://nmap.org )').status, 'warn');
});

test('CapEff parsing and capability bits', () => {
  assert.equal(parseCapEff(STATUS_ROOT), 0x1ffffffffffn);
  assert.equal(parseCapEff(STATUS_USER), 0n);
  assert.equal(parseCapEff('Name: x\n'), null);
  assert.ok(hasCap(parseCapEff(STATUS_NET_RAW) ?? 0n, CAP_NET_RAW));
  assert.ok(!hasCap(0n, CAP_NET_RAW));
  assert.equal(capabilitiesCheck(1000, STATUS_NET_RAW).status, 'ok');
  assert.match(capabilitiesCheck(1000, STATUS_NET_RAW).detail, /CAP_NET_ADMIN held/);
  assert.equal(capabilitiesCheck(1000, STATUS_USER).status, 'warn');
  assert.equal(capabilitiesCheck(0, null).status, 'ok');
  assert.equal(capabilitiesCheck(1000, null).status, 'warn');
});

test('clock skew thresholds use the middle of the round trip', () => {
  assert.equal(clockCheck(1_000, 1_200, 1_100).status, 'ok');
  assert.match(clockCheck(1_000, 1_200, 1_100).detail, /skew 0 ms/);
  assert.equal(clockCheck(0, 0, 4_999).status, 'ok');
  assert.equal(clockCheck(0, 0, -10_000).status, 'warn');
  assert.equal(clockCheck(0, 0, 600_000).status, 'fail');
});

test('disk: room for the rest of the outbox budget', () => {
  const MiB = 1048576;
  assert.equal(diskCheck(300 * MiB, 256 * MiB, 0).status, 'ok');
  assert.equal(diskCheck(100 * MiB, 256 * MiB, 200 * MiB).status, 'ok');
  assert.equal(diskCheck(100 * MiB, 256 * MiB, 0).status, 'warn');
  assert.equal(diskCheck(8 * MiB, 256 * MiB, 0).status, 'fail');
});

test('worst of the checks decides the exit', () => {
  assert.equal(worst([]), 'ok');
  assert.equal(
    worst([
      { name: 'a', status: 'ok', detail: '' },
      { name: 'b', status: 'warn', detail: '' },
    ]),
    'warn',
  );
  assert.equal(
    worst([
      { name: 'a', status: 'fail', detail: '' },
      { name: 'b', status: 'warn', detail: '' },
    ]),
    'fail',
  );
});
