import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coveragePredicate, tcpPortRanges } from './coverage.js';

test('port specs expand to ranges; anything else is unknown', () => {
  assert.deepEqual(tcpPortRanges('22, 80,8000-8100'), [
    [22, 22],
    [80, 80],
    [8000, 8100],
  ]);
  assert.deepEqual(tcpPortRanges('T:443'), [[443, 443]]);
  for (const bad of ['U:53', '0', '70000', '90-80', 'http', ''])
    assert.equal(tcpPortRanges(bad), undefined, bad);
});

test('coverage follows profile and ports', () => {
  const listed = coveragePredicate('service', { ports: '22,8000-8001' });
  assert.ok(listed);
  assert.equal(listed('tcp/22'), true);
  assert.equal(listed('tcp/8001'), true);
  assert.equal(listed('tcp/23'), false);
  assert.equal(listed('udp/22'), false);
  assert.equal(coveragePredicate('full', {})?.('tcp/65535'), true);
  assert.equal(coveragePredicate('top-ports', { topPorts: 100 }), undefined, 'nmap picks top ports: unknown');
  assert.equal(coveragePredicate('discovery', { ports: '22' }), undefined);
});
