// DiscoveryReport → discovery_observations row and weak_credential finding observations (pure).
import { toSafeNumber, watchpost } from '@watchpost/proto';
import type { Observation } from '../findings/index.js';
import type { DiscoveryObservationRow } from './entities.js';

export interface ObservationContext {
  id: string;
  tenantId: string;
  scanId: string;
  taskId: string;
  agentId: string;
  receivedAt: Date;
}

const str = (s: string | null | undefined) => s ?? '';

export function observedAt(r: watchpost.v1.IDiscoveryReport, fallback: Date): Date {
  const ms = r.observedAtMs === null || r.observedAtMs === undefined ? 0 : toSafeNumber(r.observedAtMs);
  return ms > 0 ? new Date(ms) : fallback;
}

function portJson(p: watchpost.v1.IDiscoveredPort) {
  return {
    protocol: str(p.protocol),
    port: p.port ?? 0,
    state: str(p.state),
    reason: str(p.reason),
    service: str(p.service),
    product: str(p.product),
    version: str(p.version),
    extraInfo: str(p.extraInfo),
    tunnel: str(p.tunnel),
    cpes: p.cpes ?? [],
    scripts: (p.scripts ?? []).map((s) => ({ id: str(s.id), output: str(s.output) })),
    confidence: p.confidence ?? 0,
    method: str(p.method),
    osType: str(p.osType),
    deviceType: str(p.deviceType),
    hostname: str(p.hostname),
  };
}
export type PortJson = ReturnType<typeof portJson>;

export function observationRow(
  ctx: ObservationContext,
  r: watchpost.v1.IDiscoveryReport,
  rawBytes: number,
): DiscoveryObservationRow {
  const h = r.host ?? {};
  const addrs = h.addresses ?? [];
  const v4 = addrs.filter((a) => a.type === 'ipv4').map((a) => str(a.addr));
  const v6 = addrs.filter((a) => a.type === 'ipv6').map((a) => str(a.addr));
  const macs = addrs
    .filter((a) => a.type === 'mac')
    .map((a) => ({ addr: str(a.addr), vendor: str(a.vendor) }));
  const best = [...(h.osMatches ?? [])].sort((a, b) => (b.accuracy ?? 0) - (a.accuracy ?? 0))[0];
  const ports = (h.ports ?? []).map(portJson);
  return {
    id: ctx.id,
    tenantId: ctx.tenantId,
    scanId: ctx.scanId,
    taskId: ctx.taskId,
    agentId: ctx.agentId,
    observedAt: observedAt(r, ctx.receivedAt),
    status: (str(h.status) || 'unknown').slice(0, 16),
    primaryIp: v4[0] ?? v6[0] ?? null,
    ips: JSON.stringify([...v4, ...v6]),
    macs: JSON.stringify(macs),
    hostnames: JSON.stringify(h.hostnames ?? []),
    osName: best ? str(best.name) : null,
    osAccuracy: best ? (best.accuracy ?? 0) : null,
    ports: JSON.stringify(ports),
    openPorts: ports.filter((p) => p.state === 'open').length,
    weakCredentials: h.weakCredentials?.length ?? 0,
    rawBytes: String(rawBytes),
    receivedAt: ctx.receivedAt,
  };
}

const NO_SECRET_METHODS = new Set(['no_auth', 'anonymous', 'trust', 'empty_password']);

/**
 * One finding observation per weak credential. Identity = service + host + port + username
 * (component, ruleId, port): the same account on the same service is one finding however often
 * it is seen. The proof is the agent's masked text; no password ever reaches the hub.
 */
export function weakCredentialObservations(
  r: watchpost.v1.IDiscoveryReport,
  ctx: { assetId: string; scanId: string; taskId: string; agentId: string; host: string; at: Date },
): Observation[] {
  return (r.host?.weakCredentials ?? []).map((w) => {
    const service = str(w.service) || 'unknown';
    const user = str(w.username);
    const method = str(w.method);
    const port = w.port ?? 0;
    return {
      assetId: ctx.assetId,
      type: 'weak_credential',
      component: service,
      ruleId: `weak-credential:${ctx.host}:${user === '' ? '(none)' : user}`,
      port,
      protocol: str(w.protocol) || 'tcp',
      title: `${service} on ${ctx.host}:${port} accepts ${user === '' ? 'access without credentials' : `a default credential for ${user}`}`,
      description: `The scan of ${ctx.host} logged in to ${service} (${method || 'unknown method'}).`,
      severity: NO_SECRET_METHODS.has(method) ? 'critical' : 'high',
      source: 'agent:scan',
      observedAt: ctx.at,
      details: {
        host: ctx.host,
        service,
        port,
        username: user,
        method,
        proof: str(w.proof),
        path: str(w.path),
        scanId: ctx.scanId,
        taskId: ctx.taskId,
        agentId: ctx.agentId,
      },
    };
  });
}
