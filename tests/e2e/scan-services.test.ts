// A real hub and a real agent: the hub asks the agent to scan this machine's services on
// 127.0.0.1 (only their ports) with credential checks; the scan completes, every product is
// named, the weak credentials become findings with masked proofs, and the ledger shows the
// services on the agent's own asset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { agentCli, createTenant, freePort, startAgent, startHub, tempDir, waitFor } from './lib/harness.js';

const PORTS = '1883,3306,4222,5432,5672,6379';
const nmapMissing = (() => {
  try {
    execFileSync('nmap', ['--version'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'nmap is not installed';
  }
})();
const servicesUnset = ['REDIS', 'MARIADB', 'AMQP', 'MQTT', 'NATS'].some(
  (s) => !process.env[`WATCHPOST_TEST_${s}_URL`],
)
  ? 'the WATCHPOST_TEST_*_URL service variables are not set (see .ci/run)'
  : false;

interface Finding {
  id: string;
  component: string | null;
  port: number | null;
  title: string;
}

test(
  'scan of this machine’s services: products, weak credentials, ledger',
  { skip: nmapMissing || servicesUnset },
  async (t) => {
    const dir = tempDir('wp-e2e-scan-');
    const hubOpts = { dataDir: join(dir.path, 'hub'), port: await freePort() };
    const hub = await startHub(hubOpts);
    t.after(async () => {
      await hub.kill();
      dir.remove();
    });
    const acme = await createTenant(hubOpts, hub.url, 'acme');
    const agentOpts = { dataDir: join(dir.path, 'agent') };
    const { agentId } = JSON.parse(
      (await agentCli(agentOpts, ['enroll', '--hub', hub.wsUrl, '--token', acme.enrollToken, '--json']))
        .stdout,
    ) as { agentId: string };
    const agent = startAgent(agentOpts);
    t.after(() => agent.kill());
    const assetId = await waitFor('agent online with its asset', async () => {
      const { items } = await acme.api.get<{
        items: { id: string; online: boolean; assetId: string | null }[];
      }>('/api/v1/agents');
      const a = items.find((i) => i.id === agentId);
      return a?.online && a.assetId ? a.assetId : undefined;
    });

    const refused = await acme.api.request<{ code: string }>('POST', '/api/v1/scans', {
      agentId,
      targets: ['127.0.0.2'],
      profile: 'service',
      ports: PORTS,
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, 'SCOPE_VIOLATION');

    const created = await acme.api.request<{ id: string }>('POST', '/api/v1/scans', {
      agentId,
      targets: ['127.0.0.1'],
      profile: 'service',
      ports: PORTS,
      credentialChecks: true,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const scan = await waitFor(
      'the scan to finish',
      async () => {
        const s = await acme.api.get<{
          state: string;
          counts: { hostsUp: number; openPorts: number; weakCredentials: number };
        }>(`/api/v1/scans/${created.body.id}`);
        return ['succeeded', 'failed', 'cancelled', 'partial'].includes(s.state) ? s : undefined;
      },
      300_000,
    );
    assert.equal(scan.state, 'succeeded');
    assert.equal(scan.counts.hostsUp, 1);
    assert.equal(scan.counts.openPorts, 6);

    // The ledger puts a loopback scan on the agent's own asset, with every service named.
    const services = await acme.api.get<{ items: { port: number; service: string; product: string }[] }>(
      `/api/v1/assets/${assetId}/services`,
    );
    const product = new Map(services.items.map((s) => [s.port, `${s.service} ${s.product}`]));
    t.diagnostic(JSON.stringify([...product]));
    assert.match(product.get(5432) ?? '', /PostgreSQL/);
    assert.match(product.get(3306) ?? '', /MySQL|MariaDB/);
    assert.match(product.get(6379) ?? '', /Redis/);
    assert.match(product.get(5672) ?? '', /RabbitMQ/);
    assert.match(product.get(1883) ?? '', /Mosquitto/);
    assert.match(product.get(4222) ?? '', /NATS/);

    const { items } = await acme.api.get<{ items: Finding[] }>(
      '/api/v1/findings?type=weak_credential&limit=100',
    );
    const ports = new Set(items.map((f) => f.port));
    for (const port of [6379, 3306, 5672, 1883])
      assert.ok(ports.has(port), `weak credential on ${port}: ${JSON.stringify(items)}`);
    assert.equal(scan.counts.weakCredentials >= 4, true);
    // Never a clear password: RabbitMQ's guest/guest appears only masked in the evidence.
    const details = await Promise.all(items.map((f) => acme.api.get<unknown>(`/api/v1/findings/${f.id}`)));
    const raw = JSON.stringify(details);
    assert.match(raw, /g\*+t/, 'the masked proof is kept as evidence');
    assert.doesNotMatch(raw, /password[\s:="]+guest\b/i);
  },
);
