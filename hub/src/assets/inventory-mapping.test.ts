import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toLong } from '@watchpost/proto';
import {
  mapAccounts,
  mapHost,
  mapInterfaces,
  mapListeners,
  mapPackages,
  mapProcesses,
  primaryIps,
} from './inventory-mapping.js';

describe('inventory mapping', () => {
  it('maps host facts: empty text to null, Long to number and Date, NUL removed', () => {
    const h = mapHost({
      hostname: 'web\u0000-01',
      serial: '',
      memoryBytes: toLong(1024),
      bootTimeMs: toLong(1_700_000_000_000, false),
    });
    assert.equal(h.hostname, 'web-01');
    assert.equal(h.serial, null);
    assert.equal(h.memoryBytes, 1024);
    assert.equal(h.bootTimeAt?.toISOString(), new Date(1_700_000_000_000).toISOString());
    assert.equal(mapHost(null).bootTimeAt, null);
  });

  it('keeps one package per (manager, name, arch) and counts the duplicates', () => {
    const { rows, duplicates } = mapPackages([
      { name: 'kernel', version: '1', arch: 'x86_64', manager: 'rpm' },
      { name: 'kernel', version: '2', arch: 'x86_64', manager: 'rpm' },
      { name: 'kernel', version: '1', arch: 'aarch64', manager: 'rpm' },
    ]);
    assert.equal(duplicates, 1);
    assert.deepEqual(
      rows.map((r) => `${r.arch} ${r.version}`),
      ['x86_64 2', 'aarch64 1'],
    );
    assert.equal(rows[0]?.sourceName, null);
  });

  it('derives primary IPs from non-internal interfaces, IPv4 first, without prefix', () => {
    const ifs = mapInterfaces([
      { name: 'lo', ipv4: ['127.0.0.1/8'], ipv6: ['::1/128'], internal: true },
      { name: 'eth0', ipv4: [], ipv6: ['::1/64'] },
      { name: 'eth1', ipv4: ['127.0.0.1/8'] },
    ]);
    assert.deepEqual(primaryIps(ifs), ['127.0.0.1', '::1']);
    assert.deepEqual(primaryIps(ifs.filter((i) => i.internal)), []);
  });

  it('maps password state names, pid 0 to null, process start to ISO text', () => {
    assert.deepEqual(
      mapAccounts([
        { name: 'a', passwordState: 3 },
        { name: 'b' },
        { name: 'c', passwordState: 9 as never },
      ]).map((a) => a.passwordState),
      ['locked', 'unknown', 'unknown'],
    );
    assert.equal(mapListeners([{ protocol: 'udp', port: 53, pid: 0 }])[0]?.pid, null);
    assert.equal(mapProcesses([{ pid: 1, startedAtMs: toLong(0, false) }])[0]?.startedAt, null);
  });
});
