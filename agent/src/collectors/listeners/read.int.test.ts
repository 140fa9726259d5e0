// The I/O layer against this machine: a socket this test opens must be found, with our pid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { readListeners } from './linux/read.js';

test("finds this process's TCP and UDP listeners on 127.0.0.1", async (t) => {
  if (!existsSync('/proc/net/tcp')) return t.skip('/proc/net/tcp absent: not Linux');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const udp = createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  t.after(() => {
    server.close();
    udp.close();
  });
  const tcpPort = (server.address() as AddressInfo).port;
  const udpPort = udp.address().port;
  const listeners = await readListeners(10_000);
  const tcp = listeners.find((l) => l.protocol === 'tcp' && l.port === tcpPort);
  const u = listeners.find((l) => l.protocol === 'udp' && l.port === udpPort);
  assert.deepEqual(tcp && { address: tcp.address, family: tcp.family, pid: tcp.pid }, {
    address: '127.0.0.1',
    family: 4,
    pid: process.pid,
  });
  assert.deepEqual(u && { address: u.address, pid: u.pid }, { address: '127.0.0.1', pid: process.pid });
});
