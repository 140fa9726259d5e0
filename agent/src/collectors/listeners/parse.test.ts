import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { testdata } from '../../testing/paths.js';
import { decodeIPv4, decodeIPv6, formatIPv6, parseProcNet, socketInode } from './parse.js';

const read = (name: string): string => readFileSync(testdata(name), 'utf8');
const brief = (s: { protocol: string; address: string; port: number; inode: number }): string =>
  `${s.protocol} ${s.address} ${s.port} #${s.inode}`;

test('tcp v4: only LISTEN (0A) sockets, little-endian addresses', () => {
  const sockets = parseProcNet(read('handmade-proc-net-tcp'), 'tcp', 4);
  assert.deepEqual(sockets.map(brief), [
    'tcp 127.0.0.1 8080 #41001',
    'tcp 0.0.0.0 22 #41002',
    'tcp 127.0.1.1 3306 #41004',
  ]);
  assert.equal(sockets[0]?.uid, 1000);
  assert.ok(sockets.every((s) => s.family === 4));
});

test('tcp v6: per-word byte order, zero compression, v4-mapped', () => {
  const sockets = parseProcNet(read('handmade-proc-net-tcp6'), 'tcp', 6);
  assert.deepEqual(sockets.map(brief), [
    'tcp :: 80 #42001',
    'tcp ::1 8081 #42002',
    'tcp ::ffff:127.0.0.1 631 #42003',
    'tcp ::ffff:127.1.2.3 443 #42004',
  ]);
});

test('udp: unconnected bound sockets (07) listen, connected ones (01) do not', () => {
  assert.deepEqual(parseProcNet(read('handmade-proc-net-udp'), 'udp', 4).map(brief), [
    'udp 127.0.0.53 53 #43001',
    'udp 0.0.0.0 68 #43002',
  ]);
  assert.deepEqual(parseProcNet(read('handmade-proc-net-udp6'), 'udp', 6).map(brief), [
    'udp :: 547 #44001',
    'udp ::1 546 #44002',
  ]);
});

test('address helpers', () => {
  assert.equal(decodeIPv4('0100007F'), '127.0.0.1');
  assert.equal(decodeIPv4('nothex!!'), undefined);
  assert.equal(decodeIPv6('short'), undefined);
  // Only loopback literals are allowed in this repository, so formatting is checked on those.
  assert.equal(formatIPv6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), '::1');
  assert.equal(formatIPv6(new Array<number>(16).fill(0)), '::');
  assert.equal(formatIPv6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1]), '::ffff:127.0.0.1');
  assert.equal(socketInode('socket:[12345]'), 12345);
  assert.equal(socketInode('pipe:[12345]'), undefined);
});
