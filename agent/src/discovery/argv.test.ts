import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchpost } from '@watchpost/proto';
import { buildNmapArgv, ScanParamsError, validatePorts } from './argv.js';
import { prepareScan } from './prepare.js';

const { ScanProfile } = watchpost.v1;
const ROOT = { privileged: true, ipv6: false };
const USER = { privileged: false, ipv6: false };
const TAIL = ['--stats-every', '2s', '-oX', '-', '--', '127.0.0.1'];

test('each profile maps to its nmap flags, targets last after --', () => {
  const t = ['127.0.0.1'];
  assert.deepEqual(buildNmapArgv({ profile: ScanProfile.SCAN_PROFILE_DISCOVERY }, t, ROOT), ['-sn', ...TAIL]);
  assert.deepEqual(buildNmapArgv({ profile: ScanProfile.SCAN_PROFILE_TOP_PORTS }, t, ROOT), [
    '--top-ports',
    '100',
    ...TAIL,
  ]);
  assert.deepEqual(buildNmapArgv({ profile: ScanProfile.SCAN_PROFILE_TOP_PORTS, topPorts: 20 }, t, ROOT), [
    '--top-ports',
    '20',
    ...TAIL,
  ]);
  assert.deepEqual(buildNmapArgv({ profile: ScanProfile.SCAN_PROFILE_FULL }, t, ROOT), ['-p-', ...TAIL]);
  assert.deepEqual(
    buildNmapArgv({ profile: ScanProfile.SCAN_PROFILE_SERVICE, ports: '22,80,8000-8100' }, t, ROOT),
    ['-sV', '-p', '22,80,8000-8100', ...TAIL],
  );
});

test('unprivileged port scans use -sT; discovery needs no scan type', () => {
  const t = ['127.0.0.1'];
  assert.deepEqual(buildNmapArgv({ profile: ScanProfile.SCAN_PROFILE_SERVICE, ports: '5432' }, t, USER), [
    '-sT',
    '-sV',
    '-p',
    '5432',
    ...TAIL,
  ]);
  assert.deepEqual(buildNmapArgv({ profile: ScanProfile.SCAN_PROFILE_DISCOVERY }, t, USER), ['-sn', ...TAIL]);
});

test('rate, timeout and IPv6 flags', () => {
  const argv = buildNmapArgv(
    { profile: ScanProfile.SCAN_PROFILE_TOP_PORTS, maxRate: 50, timeoutS: 30 },
    ['0:0:0:0:0:0:0:1'],
    { privileged: true, ipv6: true },
  );
  assert.deepEqual(argv, [
    '--top-ports',
    '100',
    '-6',
    '--max-rate',
    '50',
    '--host-timeout',
    '30s',
    '--stats-every',
    '2s',
    '-oX',
    '-',
    '--',
    '0:0:0:0:0:0:0:1',
  ]);
});

test('port lists are validated', () => {
  for (const ok of ['1', '65535', '22,80', '1-1024', '1883,3306,4222,5432,5672,6379'])
    assert.equal(validatePorts(ok), ok);
  for (const bad of ['', '0', '65536', '80-22', '22,,80', '22 80', 'T:22', '-p-', '22;id', '1-', '-5'])
    assert.throws(() => validatePorts(bad), ScanParamsError, bad);
});

test('invalid combinations are refused', () => {
  const t = ['127.0.0.1'];
  assert.throws(
    () => buildNmapArgv({ profile: ScanProfile.SCAN_PROFILE_UNSPECIFIED }, t, ROOT),
    ScanParamsError,
  );
  assert.throws(
    () => buildNmapArgv({ profile: ScanProfile.SCAN_PROFILE_DISCOVERY, ports: '22' }, t, ROOT),
    ScanParamsError,
  );
  assert.throws(
    () => buildNmapArgv({ profile: ScanProfile.SCAN_PROFILE_FULL, ports: '22' }, t, ROOT),
    ScanParamsError,
  );
  assert.throws(
    () => buildNmapArgv({ profile: ScanProfile.SCAN_PROFILE_TOP_PORTS, topPorts: 70000 }, t, ROOT),
    ScanParamsError,
  );
});

test('prepareScan: scope first, then parameters; the argv carries canonical targets only', () => {
  const scope = ['127.0.0.0/8'];
  const ok = prepareScan(
    { profile: ScanProfile.SCAN_PROFILE_DISCOVERY, targets: ['::ffff:127.0.0.1', '127.0.0.4-127.0.0.7'] },
    scope,
    { privileged: true },
  );
  assert.ok(ok.ok);
  assert.deepEqual(ok.argv.slice(ok.argv.indexOf('--') + 1), ['127.0.0.1', '127.0.0.4/30']);
  const out = prepareScan({ profile: ScanProfile.SCAN_PROFILE_DISCOVERY, targets: ['203.0.113.5'] }, scope, {
    privileged: true,
  });
  assert.deepEqual(out.ok ? undefined : out.code, 'SCOPE_VIOLATION');
  const bad = prepareScan(
    { profile: ScanProfile.SCAN_PROFILE_SERVICE, targets: ['127.0.0.1'], ports: '1;2' },
    scope,
    {
      privileged: true,
    },
  );
  assert.deepEqual(bad.ok ? undefined : bad.code, 'INVALID_PARAMS');
});
