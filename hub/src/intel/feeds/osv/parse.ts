// OSV record → VulnRecord. Distro ecosystems (Debian, Ubuntu, Alpine, Red Hat…) also yield
// DistroFix verdicts so package matching reads one table whatever the distro data came from.
import type { AffectedPackage, AffectedRange, DistroFix, RangeEvent, VulnRecord } from '../../store-api.js';
import { cvssFrom, isoInstant, obj, objs, requireId, str, strs, uniq, type Obj } from '../common.js';

/** Ecosystems whose package names are distro (source) packages with distro version strings. */
const DISTRO_ECOSYSTEM =
  /^(Debian|Ubuntu|Alpine|Red Hat|Rocky Linux|AlmaLinux|SUSE|openSUSE|Mageia|Wolfi|Chainguard)(:|$)/;

const RANGE_TYPES = new Set(['ECOSYSTEM', 'SEMVER', 'GIT']);
const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

function ranges(v: unknown): AffectedRange[] {
  return objs(v).flatMap((r) => {
    const type = str(r.type);
    if (type === null || !RANGE_TYPES.has(type)) return [];
    const events: RangeEvent[] = objs(r.events).flatMap((e) => {
      const key = EVENT_KEYS.find((k) => typeof e[k] === 'string');
      return key === undefined ? [] : [{ [key]: e[key] }];
    });
    return [{ type: type as AffectedRange['type'], repo: str(r.repo), events }];
  });
}

/** Distro verdict for one affected entry: fixed in the last `fixed` event, else unfixed. */
function distroFix(vulnId: string, a: AffectedPackage): DistroFix | null {
  if (!DISTRO_ECOSYSTEM.test(a.ecosystem)) return null;
  const events = a.ranges.filter((r) => r.type === 'ECOSYSTEM').flatMap((r) => r.events);
  if (events.length === 0 && a.versions.length === 0) return null;
  const fixed = events.flatMap((e) => (e.fixed === undefined ? [] : [e.fixed])).pop() ?? null;
  return {
    vulnId,
    source: 'osv',
    ecosystem: a.ecosystem,
    release: null,
    sourcePackage: a.package,
    state: fixed === null ? 'unfixed' : 'fixed',
    fixedVersion: fixed,
    urgency: null,
    aliases: a.aliases ?? [],
  };
}

function severity(list: Obj[], source: string) {
  return list.flatMap((s) => {
    const type = str(s.type);
    const score = str(s.score);
    if (score === null || (type !== 'CVSS_V3' && type !== 'CVSS_V4' && type !== 'CVSS_V2')) return [];
    const m = cvssFrom({ vectorString: score, version: type === 'CVSS_V2' ? '2.0' : null }, source, null);
    return m === null ? [] : [m];
  });
}

export function parseOsvRecord(raw: unknown): VulnRecord {
  const rec = obj(raw);
  const id = requireId(rec.id, 'OSV record');
  const db = id.split('-')[0] ?? 'osv';
  const aliases = uniq(
    [...strs(rec.aliases), ...strs(rec.upstream)].map((a) => (/^cve-/i.test(a) ? a.toUpperCase() : a)),
  );
  const affected: AffectedPackage[] = objs(rec.affected).flatMap((a) => {
    const pkg = obj(a.package);
    const ecosystem = str(pkg.ecosystem);
    const name = str(pkg.name);
    if (ecosystem === null || name === null) return [];
    return [
      {
        vulnId: id,
        source: 'osv',
        ecosystem,
        package: name,
        purl: str(pkg.purl),
        ranges: ranges(a.ranges),
        versions: strs(a.versions),
        aliases,
      },
    ];
  });
  const cwes = strs(obj(rec.database_specific).cwe_ids).filter((c) => /^CWE-\d+$/.test(c));
  return {
    id,
    source: 'osv',
    aliases,
    published: isoInstant(rec.published),
    modified: isoInstant(rec.modified),
    status: str(rec.withdrawn) !== null ? 'Withdrawn' : null,
    summary: str(rec.summary),
    description: str(rec.details) ?? str(rec.summary) ?? '',
    cvss: [
      ...severity(objs(rec.severity), db),
      ...objs(rec.affected).flatMap((a) => severity(objs(a.severity), db)),
    ],
    cwes,
    references: objs(rec.references).flatMap((r) => {
      const url = str(r.url);
      const type = str(r.type);
      return url === null ? [] : [{ url, tags: type === null ? [] : [type] }];
    }),
    configurations: [],
    affected,
    distroFixes: affected.flatMap((a) => distroFix(id, a) ?? []),
    kevHint: null,
    ssvc: null,
  };
}
