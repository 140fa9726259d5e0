// Services nmap's probes do not name, identified by the banner they send first. nmap 7.93 guesses
// NATS on 4222 from its port table ("vrml-multi-use", conf 3); a NATS server greets every client
// with `INFO {json}` that carries its version. Pure matcher + one bounded read; only ever used on
// a host and port the scan itself just found open (so inside the scope).
import { connect } from 'node:net';
import type { watchpost } from '@watchpost/proto';

export interface BannerMatch {
  service: string;
  product: string;
  version: string;
  extraInfo: string;
}

export const BANNER_LIMITS = { bytes: 4096, timeoutMs: 2000 } as const;

export function matchBanner(banner: string): BannerMatch | undefined {
  // Real servers end the line with " \r\n".
  const nats = /^INFO (\{.*\})[ \t]*\r?\n/.exec(banner);
  if (nats?.[1]) {
    try {
      const info = JSON.parse(nats[1]) as Record<string, unknown>;
      const str = (k: string) => (typeof info[k] === 'string' ? info[k] : '');
      if (str('server_id') === '' && str('version') === '') return undefined;
      return {
        service: 'nats',
        product: 'NATS Server',
        version: str('version'),
        extraInfo: [
          str('server_name') && `name ${str('server_name')}`,
          info['jetstream'] === true ? 'JetStream' : '',
        ]
          .filter(Boolean)
          .join('; '),
      };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Reads what a TCP service says first (at most BANNER_LIMITS.bytes, within the timeout). */
export function readBanner(host: string, port: number, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const sock = connect({ host, port });
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      sock.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(done, BANNER_LIMITS.timeoutMs);
    signal?.addEventListener('abort', done, { once: true });
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      size += d.length;
      if (size >= BANNER_LIMITS.bytes || d.includes(0x0a)) done();
    });
    sock.on('error', done);
    sock.on('end', done);
  });
}

/** nmap did not really identify the port: no product, and a port-table guess or nothing. */
export function unidentified(p: watchpost.v1.IDiscoveredPort): boolean {
  return (
    (p.protocol ?? 'tcp') === 'tcp' &&
    p.state === 'open' &&
    !p.product &&
    (p.method !== 'probed' || (p.confidence ?? 0) <= 3)
  );
}

/**
 * nmap 7.93's MQTT probe puts Mosquitto's name and version in the service field
 * ("mosquitto version 2.0.11") and leaves product empty: put them where products go.
 */
export function normaliseQuirks(p: watchpost.v1.IDiscoveredPort): boolean {
  const m = /^mosquitto version ([\w.~+-]+)/i.exec(p.service ?? '');
  if (!m || p.product) return false;
  p.service = 'mqtt';
  p.product = 'Eclipse Mosquitto';
  p.version = m[1] ?? '';
  return true;
}

/** Fills product/version of unidentified open ports from their banners (in place). */
export async function identifyByBanner(
  host: watchpost.v1.IDiscoveredHost,
  signal?: AbortSignal,
): Promise<number> {
  const address = (host.addresses ?? []).find((a) => a.type === 'ipv4' || a.type === 'ipv6')?.addr;
  if (!address || host.status !== 'up') return 0;
  let identified = 0;
  for (const p of host.ports ?? []) {
    if (normaliseQuirks(p)) {
      identified++;
      continue;
    }
    if (signal?.aborted || !unidentified(p) || !p.port) continue;
    const match = matchBanner(await readBanner(address, p.port, signal));
    if (!match) continue;
    p.service = match.service;
    p.product = match.product;
    p.version = match.version;
    p.extraInfo = match.extraInfo;
    p.method = 'banner';
    p.confidence = 10;
    identified++;
  }
  return identified;
}
