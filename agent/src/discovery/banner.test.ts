import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { watchpost } from '@watchpost/proto';
import { matchBanner, normaliseQuirks, unidentified } from './banner.js';

// Hand-made, shaped like a NATS 2.x server greeting.
const HANDMADE_NATS_INFO =
  'INFO {"server_id":"NDEXAMPLE","server_name":"hub-nats","version":"2.9.25","proto":1,"go":"go1.21","host":"127.0.0.1","port":4222,"headers":true,"jetstream":true,"max_payload":1048576} \r\n';

test('a NATS greeting names the product and version', () => {
  assert.deepEqual(matchBanner(HANDMADE_NATS_INFO), {
    service: 'nats',
    product: 'NATS Server',
    version: '2.9.25',
    extraInfo: 'name hub-nats; JetStream',
  });
});

test('other banners and broken INFO lines match nothing', () => {
  assert.equal(matchBanner('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'), undefined);
  assert.equal(matchBanner('INFO {not json}\r\n'), undefined);
  assert.equal(matchBanner('INFO {}\r\n'), undefined);
  assert.equal(matchBanner(''), undefined);
});

test('only ports nmap did not really identify are probed', () => {
  assert.equal(
    unidentified({
      protocol: 'tcp',
      state: 'open',
      service: 'vrml-multi-use',
      method: 'table',
      confidence: 3,
    }),
    true,
  );
  assert.equal(
    unidentified({
      protocol: 'tcp',
      state: 'open',
      product: 'Redis key-value store',
      method: 'probed',
      confidence: 10,
    }),
    false,
  );
  assert.equal(unidentified({ protocol: 'tcp', state: 'closed', method: 'table' }), false);
  assert.equal(unidentified({ protocol: 'udp', state: 'open', method: 'table' }), false);
});

test('Mosquitto named in the service field moves to product and version', () => {
  const p: watchpost.v1.IDiscoveredPort = {
    protocol: 'tcp',
    port: 1883,
    state: 'open',
    service: 'mosquitto version 2.0.11',
    product: '',
  };
  assert.equal(normaliseQuirks(p), true);
  assert.deepEqual([p.service, p.product, p.version], ['mqtt', 'Eclipse Mosquitto', '2.0.11']);
  assert.equal(normaliseQuirks({ service: 'http', product: 'nginx' }), false);
});
