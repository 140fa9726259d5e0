// Limits of a DiscoveryReport (pure); the gateway rejects a report over them with
// LIMIT_EXCEEDED before it reaches the store (PROTOCOL.md "Scans and discovery").
import { RejectCode, type watchpost } from '@watchpost/proto';

export const DISCOVERY_LIMITS = {
  portsPerHost: 65_536,
  scriptOutputBytes: 8 * 1024,
  addresses: 64,
  hostnames: 64,
  osMatches: 64,
  scriptsPerHost: 256,
  scriptsPerPort: 256,
  cpesPerItem: 64,
  weakCredentials: 1024,
  shortText: 1024,
} as const;

export interface DiscoveryRejection {
  code: RejectCode;
  reason: string;
}

const L = DISCOVERY_LIMITS;
const over = (reason: string): DiscoveryRejection => ({ code: RejectCode.LIMIT_EXCEEDED, reason });
const long = (s: string | null | undefined) => (s?.length ?? 0) > L.shortText;

function checkScripts(list: watchpost.v1.IScriptOutput[] | null | undefined, where: string, max: number) {
  if ((list?.length ?? 0) > max) return over(`${where}: over ${max} scripts`);
  for (const s of list ?? []) {
    if (Buffer.byteLength(s.output ?? '') > L.scriptOutputBytes)
      return over(`${where}: script ${s.id ?? ''} output over 8 KiB`);
    if (long(s.id)) return over(`${where}: script id too long`);
  }
  return null;
}

export function checkDiscoveryReport(r: watchpost.v1.IDiscoveryReport): DiscoveryRejection | null {
  if (!r.taskId) return { code: RejectCode.INVALID_MESSAGE, reason: 'discovery_report.task_id is empty' };
  const h = r.host;
  if (!h) return { code: RejectCode.INVALID_MESSAGE, reason: 'discovery_report.host is missing' };
  if ((h.addresses?.length ?? 0) > L.addresses) return over(`over ${L.addresses} addresses`);
  if ((h.hostnames?.length ?? 0) > L.hostnames) return over(`over ${L.hostnames} hostnames`);
  if ((h.osMatches?.length ?? 0) > L.osMatches) return over(`over ${L.osMatches} OS matches`);
  if ((h.ports?.length ?? 0) > L.portsPerHost) return over(`over ${L.portsPerHost} ports`);
  if ((h.weakCredentials?.length ?? 0) > L.weakCredentials) return over('too many weak credentials');
  if ([...(h.addresses ?? []).flatMap((a) => [a.addr, a.vendor, a.type]), ...(h.hostnames ?? [])].some(long))
    return over('address or hostname too long');
  const hs = checkScripts(h.hostScripts, 'host', L.scriptsPerHost);
  if (hs) return hs;
  for (const p of h.ports ?? []) {
    if ((p.port ?? 0) > 65_535)
      return { code: RejectCode.INVALID_MESSAGE, reason: `port ${p.port} out of range` };
    if ((p.cpes?.length ?? 0) > L.cpesPerItem) return over(`port ${p.port}: too many CPEs`);
    if ([p.product, p.version, p.extraInfo, p.service, p.hostname, ...(p.cpes ?? [])].some(long))
      return over(`port ${p.port}: a field is over ${L.shortText} chars`);
    const ps = checkScripts(p.scripts, `port ${p.port}`, L.scriptsPerPort);
    if (ps) return ps;
  }
  for (const w of h.weakCredentials ?? []) {
    if ((w.port ?? 0) > 65_535)
      return { code: RejectCode.INVALID_MESSAGE, reason: 'weak credential port out of range' };
    if ([w.service, w.username, w.method, w.proof, w.path, w.protocol].some(long))
      return over('weak credential field too long');
  }
  return null;
}
