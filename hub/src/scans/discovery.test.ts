import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RejectCode, toLong } from '@watchpost/proto';
import { checkDiscoveryReport } from './discovery-validation.js';
import { observationRow, weakCredentialObservations } from './observation.js';
import { isPortSpec } from './schemas.js';

const ctx = {
  id: '11111111-1111-4111-8111-111111111111',
  tenantId: 't',
  scanId: 's',
  taskId: 'task',
  agentId: 'a',
  receivedAt: new Date('2026-11-25T23:00:00Z'),
};

describe('nmap port lists', () => {
  it('accepts nmap syntax and refuses anything else', () => {
    for (const ok of ['22', '22,80,443', '8000-8100', 'T:22,U:53', '1-65535'])
      assert.equal(isPortSpec(ok), true, ok);
    for (const bad of ['', '0', '65536', '80-22', '22;id', '22 80', '-p22', 'ssh', '1-65536']) {
      assert.equal(isPortSpec(bad), false, bad);
    }
  });
});

describe('DiscoveryReport limits', () => {
  it('passes a normal report', () => {
    assert.equal(checkDiscoveryReport({ taskId: 'x', host: { status: 'up', ports: [{ port: 22 }] } }), null);
  });
  it('rejects a missing task id or host as INVALID_MESSAGE', () => {
    assert.equal(checkDiscoveryReport({ host: {} })?.code, RejectCode.INVALID_MESSAGE);
    assert.equal(checkDiscoveryReport({ taskId: 'x' })?.code, RejectCode.INVALID_MESSAGE);
  });
  it('rejects lists and script outputs over their limits as LIMIT_EXCEEDED', () => {
    const addrs = Array.from({ length: 65 }, () => ({ addr: '127.0.0.1', type: 'ipv4' }));
    assert.equal(
      checkDiscoveryReport({ taskId: 'x', host: { addresses: addrs } })?.code,
      RejectCode.LIMIT_EXCEEDED,
    );
    const names = Array.from({ length: 65 }, (_, i) => `h${i}`);
    assert.equal(
      checkDiscoveryReport({ taskId: 'x', host: { hostnames: names } })?.code,
      RejectCode.LIMIT_EXCEEDED,
    );
    const ports = Array.from({ length: 65_537 }, (_, i) => ({ port: i % 65_536 }));
    assert.equal(checkDiscoveryReport({ taskId: 'x', host: { ports } })?.code, RejectCode.LIMIT_EXCEEDED);
    const big = { id: 'x', output: 'é'.repeat(4097) }; // 8194 bytes
    assert.equal(
      checkDiscoveryReport({ taskId: 'x', host: { ports: [{ port: 1, scripts: [big] }] } })?.code,
      RejectCode.LIMIT_EXCEEDED,
    );
    assert.equal(
      checkDiscoveryReport({ taskId: 'x', host: { hostScripts: [big] } })?.code,
      RejectCode.LIMIT_EXCEEDED,
    );
  });
});

describe('observation mapping', () => {
  const report = {
    taskId: 'task',
    observedAtMs: toLong(Date.UTC(2026, 10, 25, 22, 0, 0), false),
    host: {
      status: 'up',
      addresses: [
        { addr: '::1', type: 'ipv6' },
        { addr: '127.0.0.1', type: 'ipv4' },
        { addr: '00:00:00:00:00:00', type: 'mac', vendor: 'none' },
      ],
      hostnames: ['localhost', 'ip6-localhost'],
      osMatches: [
        { name: 'low', accuracy: 80 },
        { name: 'best', accuracy: 97 },
      ],
      ports: [
        { port: 6379, protocol: 'tcp', state: 'open', service: 'redis', cpes: ['cpe:/a:redis:redis'] },
        { port: 23, protocol: 'tcp', state: 'closed' },
      ],
      weakCredentials: [{ service: 'redis', port: 6379, method: 'no_auth', proof: 'AUTH not required' }],
    },
  };
  it('keeps every address and picks the IPv4 as primary and the most accurate OS', () => {
    const row = observationRow(ctx, report, 123);
    assert.equal(row.primaryIp, '127.0.0.1');
    assert.deepEqual(JSON.parse(row.ips), ['127.0.0.1', '::1']);
    assert.deepEqual(JSON.parse(row.macs), [{ addr: '00:00:00:00:00:00', vendor: 'none' }]);
    assert.equal(row.osName, 'best');
    assert.equal(row.osAccuracy, 97);
    assert.equal(row.openPorts, 1);
    assert.equal(row.weakCredentials, 1);
    assert.equal(row.rawBytes, '123');
    assert.equal(row.observedAt.toISOString(), '2026-11-25T22:00:00.000Z');
    assert.deepEqual((JSON.parse(row.ports) as { cpes: string[] }[])[0]?.cpes, ['cpe:/a:redis:redis']);
  });
  it('builds weak_credential observations with host and user in the identity', () => {
    const [o] = weakCredentialObservations(report, {
      assetId: ctx.id,
      scanId: 's',
      taskId: 'task',
      agentId: 'a',
      host: '127.0.0.1',
      at: ctx.receivedAt,
    });
    assert.equal(o?.type, 'weak_credential');
    assert.equal(o?.component, 'redis');
    assert.equal(o?.ruleId, 'weak-credential:127.0.0.1:(none)');
    assert.equal(o?.port, 6379);
    assert.equal(o?.severity, 'critical');
    assert.equal(o?.source, 'agent:scan');
    assert.equal((o?.details as Record<string, unknown>)['proof'], 'AUTH not required');
  });
});
