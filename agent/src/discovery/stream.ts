// Splits nmap's `-oX -` stdout into elements as they arrive (pure, incremental): every complete
// <host>…</host> becomes a DiscoveredHost at once, <taskprogress/> (written by --stats-every) a
// progress event, <runstats> the final counts. Everything else (header, scaninfo, hosthint,
// comments) is skipped. Attribute values never contain a raw '<' in well-formed XML, so element
// boundaries can be found by scanning for tags.
import type { watchpost } from '@watchpost/proto';
import { nmapXmlParser, parseHostFragment } from './parseHost.js';
import { SCAN_LIMITS } from './spec.js';

export interface NmapProgress {
  stage: string;
  percent: number;
  /** Milliseconds nmap expects the stage still needs; 0 = unknown. */
  etaMs: number;
}

export interface NmapRunStats {
  hostsUp: number;
  hostsDown: number;
  hostsTotal: number;
  exit: string;
  errorMessage: string;
}

export type NmapStreamEvent =
  | { type: 'host'; host: watchpost.v1.IDiscoveredHost }
  | { type: 'progress'; progress: NmapProgress }
  | { type: 'runstats'; stats: NmapRunStats };

const START = /<(host|taskprogress|runstats)(?=[\s>/])/g;
const CLOSE: Record<string, string> = { host: '</host>', runstats: '</runstats>', taskprogress: '/>' };

function attrOf(el: Record<string, unknown>, name: string): string {
  const v = el[`@_${name}`];
  return typeof v === 'string' ? v : '';
}

function num(text: string): number {
  const v = Number(text);
  return Number.isFinite(v) && v >= 0 ? v : 0;
}

function parseProgress(xml: string): NmapProgress {
  const doc = nmapXmlParser.parse(xml) as Record<string, unknown>;
  const el = (doc['taskprogress'] ?? {}) as Record<string, unknown>;
  return {
    stage: attrOf(el, 'task'),
    percent: Math.min(100, Math.floor(num(attrOf(el, 'percent')))),
    etaMs: Math.round(num(attrOf(el, 'remaining')) * 1000),
  };
}

function parseRunStats(xml: string): NmapRunStats {
  const doc = nmapXmlParser.parse(xml) as Record<string, unknown>;
  const rs = (doc['runstats'] ?? {}) as Record<string, unknown>;
  const finished = (rs['finished'] ?? {}) as Record<string, unknown>;
  const hosts = (rs['hosts'] ?? {}) as Record<string, unknown>;
  return {
    hostsUp: num(attrOf(hosts, 'up')),
    hostsDown: num(attrOf(hosts, 'down')),
    hostsTotal: num(attrOf(hosts, 'total')),
    exit: attrOf(finished, 'exit'),
    errorMessage: attrOf(finished, 'errormsg'),
  };
}

export class NmapStreamParser {
  private buffer = '';

  /** Feeds a chunk of stdout; returns the elements it completed, in stream order. */
  push(chunk: string): NmapStreamEvent[] {
    this.buffer += chunk;
    const events: NmapStreamEvent[] = [];
    let consumed = 0;
    for (;;) {
      START.lastIndex = consumed;
      const match = START.exec(this.buffer);
      if (!match) {
        // Keep only what could be the start of a tag cut by the chunk boundary.
        const lt = this.buffer.lastIndexOf('<');
        consumed = lt >= Math.max(consumed, this.buffer.length - 16) ? lt : this.buffer.length;
        break;
      }
      const name = match[1] ?? '';
      const close = CLOSE[name] ?? '>';
      const end = this.buffer.indexOf(close, match.index);
      if (end < 0) {
        consumed = match.index;
        break;
      }
      const xml = this.buffer.slice(match.index, end + close.length);
      consumed = end + close.length;
      if (name === 'host') events.push({ type: 'host', host: parseHostFragment(xml) });
      else if (name === 'taskprogress') events.push({ type: 'progress', progress: parseProgress(xml) });
      else events.push({ type: 'runstats', stats: parseRunStats(xml) });
    }
    this.buffer = this.buffer.slice(consumed);
    if (this.buffer.length > SCAN_LIMITS.maxElementBytes)
      throw new Error(`nmap XML element larger than ${SCAN_LIMITS.maxElementBytes} bytes`);
    return events;
  }
}

/** Parses a whole nmap XML document (a file, or a finished stdout). */
export function parseNmapXml(xml: string): NmapStreamEvent[] {
  return new NmapStreamParser().push(xml);
}
