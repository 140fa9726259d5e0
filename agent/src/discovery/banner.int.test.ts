// Against the machine's real NATS server (WATCHPOST_TEST_NATS_URL, set by .ci/run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { watchpost } from '@watchpost/proto';
import { identifyByBanner } from './banner.js';

test('the real NATS server is identified from its banner', async (t) => {
  const url = process.env.WATCHPOST_TEST_NATS_URL;
  if (!url) return t.skip('WATCHPOST_TEST_NATS_URL is not set');
  const { hostname, port } = new URL(url);
  const host: watchpost.v1.IDiscoveredHost & { ports: watchpost.v1.IDiscoveredPort[] } = {
    status: 'up',
    addresses: [{ addr: hostname, type: 'ipv4' }],
    ports: [
      {
        protocol: 'tcp',
        port: Number(port || 4222),
        state: 'open',
        service: 'vrml-multi-use',
        method: 'table',
        confidence: 3,
      },
    ],
  };
  assert.equal(await identifyByBanner(host), 1, `NATS at ${url} must answer with INFO (is it running?)`);
  assert.equal(host.ports[0]?.product, 'NATS Server');
  assert.match(host.ports[0]?.version ?? '', /^\d+\.\d+\.\d+/);
  t.diagnostic(`identified ${host.ports[0]?.product} ${host.ports[0]?.version}`);
});
