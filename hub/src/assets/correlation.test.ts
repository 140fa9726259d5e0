import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySighting, decide, LedgerIndex, normaliseMac, type Sighting } from './correlation.js';

// Addresses are documentation ranges (RFC 5737): data only, never contacted.
const IP_A = '192.0.2.10';
const IP_B = '192.0.2.20';
const MAC_1 = '52:54:00:12:34:56';
const MAC_2 = '52:54:00:ab:cd:ef';

let counter = 0;
const ingest = (index: LedgerIndex, s: Sighting, now: number): string =>
  applySighting(index, s, now, () => `asset-${++counter}`).assetId;

const sighting = (p: Partial<Sighting>): Sighting => ({
  zone: 'internal',
  macs: [],
  ips: [],
  hostnames: [],
  ...p,
});

test('the same host reported by its agent and by two scanning agents is one asset', () => {
  const index = new LedgerIndex();
  const own = ingest(
    index,
    sighting({ machineId: 'm-1', macs: [MAC_1], ips: [IP_A], hostnames: ['web-01'] }),
    1,
  );
  const scanWithMac = ingest(
    index,
    sighting({ macs: [MAC_1.toUpperCase()], ips: [IP_A], hostnames: ['web-01.corp.example.'] }),
    2,
  );
  const scanAddressOnly = ingest(index, sighting({ ips: [IP_A] }), 3);
  assert.equal(scanWithMac, own);
  assert.equal(scanAddressOnly, own);
  assert.equal(index.size, 1);
});

test('DHCP reuse of an IP by a different MAC is two assets, and the address moves', () => {
  const index = new LedgerIndex();
  const first = ingest(index, sighting({ macs: [MAC_1], ips: [IP_A] }), 1);
  const d = decide(index, sighting({ macs: [MAC_2], ips: [IP_A] }));
  assert.equal(d.assetId, undefined);
  assert.deepEqual(d.reassign, [{ ip: IP_A, fromAssetId: first }]);
  const second = ingest(index, sighting({ macs: [MAC_2], ips: [IP_A] }), 2);
  assert.notEqual(second, first);
  assert.equal(index.size, 2);
  assert.deepEqual(index.get(first)?.ips, []);
  assert.equal(index.byIp('internal', IP_A), second);
});

test('a host first seen by a scan is matched by MAC when its agent later reports', () => {
  const index = new LedgerIndex();
  const shadow = ingest(index, sighting({ macs: [MAC_2], ips: [IP_B] }), 1);
  const d = decide(index, sighting({ machineId: 'm-2', macs: [MAC_2], ips: [IP_B], hostnames: ['db-01'] }));
  assert.equal(d.assetId, shadow);
  assert.equal(d.matchedBy, 'mac');
});

test('one sighting tying two assets by strong keys merges them into the older', () => {
  const index = new LedgerIndex();
  const older = ingest(index, sighting({ machineId: 'm-3', macs: [MAC_1] }), 1);
  const newer = ingest(index, sighting({ macs: [MAC_2], ips: [IP_B] }), 2);
  const d = decide(index, sighting({ machineId: 'm-3', macs: [MAC_1, MAC_2] }));
  assert.equal(d.assetId, older);
  assert.deepEqual(d.merge, [newer]);
  assert.ok(d.reasons.some((r) => r.includes('merge')));
});

test('weak keys never merge: two address-only matches pick one asset', () => {
  const index = new LedgerIndex([
    { id: 'a', firstSeenAt: 1, zone: 'internal', macs: [], ips: [IP_A], hostnames: [] },
    { id: 'b', firstSeenAt: 2, zone: 'internal', macs: [], ips: [IP_B], hostnames: ['app'] },
  ]);
  const d = decide(index, sighting({ ips: [IP_A, IP_B], hostnames: ['app'] }));
  assert.equal(d.assetId, 'b', 'the IP confirmed by hostname wins over the address-only match');
  assert.deepEqual(d.merge, []);
});

test('the same address in another zone is another host', () => {
  const index = new LedgerIndex();
  const internal = ingest(index, sighting({ ips: [IP_A] }), 1);
  const dmz = ingest(index, sighting({ zone: 'dmz', ips: [IP_A] }), 2);
  assert.notEqual(dmz, internal);
});

test('an address held under another hostname is reused, not matched', () => {
  const index = new LedgerIndex();
  const db = ingest(index, sighting({ ips: [IP_A], hostnames: ['db-01'] }), 1);
  const d = decide(index, sighting({ ips: [IP_A], hostnames: ['web-02'] }));
  assert.equal(d.assetId, undefined);
  assert.deepEqual(d.reassign, [{ ip: IP_A, fromAssetId: db }]);
});

test('a different machine id on a held address is reuse even without MACs', () => {
  const index = new LedgerIndex();
  const first = ingest(index, sighting({ machineId: 'm-a', ips: [IP_A] }), 1);
  const d = decide(index, sighting({ machineId: 'm-b', ips: [IP_A] }));
  assert.equal(d.assetId, undefined);
  assert.deepEqual(d.reassign, [{ ip: IP_A, fromAssetId: first }]);
});

test('MAC normalisation ignores broadcast, zero and multicast addresses', () => {
  assert.equal(normaliseMac('52-54-00-AB-CD-EF'), MAC_2);
  assert.equal(normaliseMac('00:00:00:00:00:00'), undefined);
  assert.equal(normaliseMac('ff:ff:ff:ff:ff:ff'), undefined);
  assert.equal(normaliseMac('01:00:5e:00:00:fb'), undefined);
  assert.equal(normaliseMac('not a mac'), undefined);
  const index = new LedgerIndex();
  const a = ingest(index, sighting({ macs: ['00:00:00:00:00:00'], ips: [IP_A], hostnames: ['x'] }), 1);
  const b = ingest(index, sighting({ macs: ['00:00:00:00:00:00'], ips: [IP_B], hostnames: ['y'] }), 2);
  assert.notEqual(a, b, 'a zero MAC ties nothing together');
});

test('two machine ids are two hosts even when they share a MAC (cloned VMs)', () => {
  const index = new LedgerIndex();
  const first = ingest(index, sighting({ machineId: 'm-x', macs: [MAC_1], ips: [IP_A] }), 1);
  const d = decide(index, sighting({ machineId: 'm-y', macs: [MAC_1], ips: [IP_B] }));
  assert.notEqual(d.assetId, first);
  assert.deepEqual(d.merge, []);
});
