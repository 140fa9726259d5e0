// Pure parser of the dpkg status database (deb822 stanzas). Streaming-friendly: feed chunks of
// text, packages come out stanza by stanza; only the fields we need are kept.
// A package counts as installed when the third word of `Status:` (db:Status-Status) is
// "installed" — the same set `dpkg-query -W -f '${db:Status-Status}'` reports as installed.

export interface DpkgPackage {
  name: string;
  version: string;
  arch: string;
  manager: 'dpkg';
  sourceName: string;
  sourceVersion: string;
}

interface Stanza {
  Package?: string;
  Status?: string;
  Version?: string;
  Architecture?: string;
  Source?: string;
}

const WANTED = new Set(['Package', 'Status', 'Version', 'Architecture', 'Source']);

export class DpkgStatusParser {
  private rest = '';
  private stanza: Stanza = {};

  /** Feeds a chunk of text; returns the installed packages completed by it. */
  push(chunk: string): DpkgPackage[] {
    const text = this.rest + chunk;
    const lastNl = text.lastIndexOf('\n');
    if (lastNl < 0) {
      this.rest = text;
      return [];
    }
    this.rest = text.slice(lastNl + 1);
    const out: DpkgPackage[] = [];
    for (const line of text.slice(0, lastNl).split('\n')) this.line(line, out);
    return out;
  }

  /** Flushes the last stanza. */
  end(): DpkgPackage[] {
    const out: DpkgPackage[] = [];
    if (this.rest) this.line(this.rest, out);
    this.rest = '';
    this.flush(out);
    return out;
  }

  private line(raw: string, out: DpkgPackage[]): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return this.flush(out);
    if (line.startsWith(' ') || line.startsWith('\t')) return; // continuation of a multi-line field
    const colon = line.indexOf(':');
    if (colon <= 0) return;
    const field = line.slice(0, colon);
    if (WANTED.has(field)) this.stanza[field as keyof Stanza] = line.slice(colon + 1).trim();
  }

  private flush(out: DpkgPackage[]): void {
    const s = this.stanza;
    this.stanza = {};
    const pkg = toPackage(s);
    if (pkg) out.push(pkg);
  }
}

export function parseDpkgStatus(text: string): DpkgPackage[] {
  const parser = new DpkgStatusParser();
  return [...parser.push(text), ...parser.end()];
}

/** db:Status-Status: the third word of "Status: want flag status". */
export function dpkgStatusStatus(status: string | undefined): string {
  return status?.split(/\s+/)[2] ?? '';
}

function toPackage(s: Stanza): DpkgPackage | undefined {
  if (!s.Package || dpkgStatusStatus(s.Status) !== 'installed') return undefined;
  const source = parseSourceField(s.Source);
  return {
    name: s.Package,
    version: s.Version ?? '',
    arch: s.Architecture ?? '',
    manager: 'dpkg',
    sourceName: source.name === s.Package ? '' : source.name,
    sourceVersion: source.version,
  };
}

/** "Source: glibc (2.36-9+deb12u4)" → name glibc, version 2.36-9+deb12u4. */
export function parseSourceField(source: string | undefined): { name: string; version: string } {
  if (!source) return { name: '', version: '' };
  const m = /^(\S+)(?:\s+\(([^)]+)\))?/.exec(source);
  return { name: m?.[1] ?? '', version: m?.[2]?.trim() ?? '' };
}
