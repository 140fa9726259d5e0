// Pure parser of `rpm -qa --qf` output (see RPM_QUERY_ARGS).
export interface RpmPackage {
  name: string;
  version: string;
  arch: string;
  manager: 'rpm';
  sourceName: string;
  sourceVersion: string;
}

export function parseRpmQuery(text: string): RpmPackage[] {
  const out: RpmPackage[] = [];
  for (const line of text.split('\n')) {
    const [name, version, arch, sourceRpm] = line.split('\t');
    if (!name || !version || name === 'gpg-pubkey') continue;
    const source = parseSourceRpm(sourceRpm ?? '');
    out.push({
      name,
      version,
      arch: arch === '(none)' ? '' : (arch ?? ''),
      manager: 'rpm',
      sourceName: source.name === name ? '' : source.name,
      sourceVersion: source.version,
    });
  }
  return out;
}

/** "openssl-3.0.7-27.el9.src.rpm" → name openssl, version 3.0.7-27.el9. */
export function parseSourceRpm(sourceRpm: string): { name: string; version: string } {
  const base = sourceRpm.replace(/\.(src|nosrc)\.rpm$/, '');
  if (base === sourceRpm || base === '(none)') return { name: '', version: '' };
  const rel = base.lastIndexOf('-');
  const ver = rel > 0 ? base.lastIndexOf('-', rel - 1) : -1;
  if (ver <= 0) return { name: base, version: '' };
  return { name: base.slice(0, ver), version: base.slice(ver + 1) };
}
