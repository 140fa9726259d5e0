// SARIF 2.1.0: runs[] of one tool each; results[] name a rule and locations. The tool name is the
// evidence source. The analysed thing (repository or the run's first artifact root) is the
// "host"; a result's stable location is its fingerprint, else its first artifact uri.
import { z } from 'zod';
import { hubError } from '../../platform/errors.js';
import {
  cut,
  cveIds,
  emptyObservation,
  numberOrNull,
  severityOfScore,
  type HostBatch,
  type ScanObservation,
} from '../types.js';
import type { Severity } from '../../findings/index.js';

const message = z.looseObject({
  text: z.string().optional(),
  markdown: z.string().optional(),
  id: z.string().optional(),
});
const rule = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  shortDescription: message.optional(),
  fullDescription: message.optional(),
  help: message.optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});
const location = z.looseObject({
  physicalLocation: z
    .looseObject({ artifactLocation: z.looseObject({ uri: z.string().optional() }).optional() })
    .optional(),
});
const resultSchema = z.looseObject({
  ruleId: z.string().optional(),
  ruleIndex: z.number().optional(),
  rule: z.looseObject({ id: z.string().optional(), index: z.number().optional() }).optional(),
  level: z.string().optional(),
  message: message.optional(),
  locations: z.array(location).optional(),
  fingerprints: z.record(z.string(), z.string()).optional(),
  partialFingerprints: z.record(z.string(), z.string()).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});
const run = z.looseObject({
  tool: z.looseObject({ driver: z.looseObject({ name: z.string(), rules: z.array(rule).optional() }) }),
  results: z.array(z.unknown()).nullish(),
  versionControlProvenance: z.array(z.looseObject({ repositoryUri: z.string().optional() })).optional(),
  invocations: z
    .array(z.looseObject({ startTimeUtc: z.string().optional(), endTimeUtc: z.string().optional() }))
    .optional(),
});
const log = z.looseObject({ version: z.string().optional(), runs: z.array(run) });

const LEVEL: Record<string, Severity> = { error: 'high', warning: 'medium', note: 'low', none: 'info' };
const SEV_WORD: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
  info: 'info',
};

/** Lower-case tool name usable as an evidence source ("sarif:" prefixed). */
export const sarifSource = (tool: string): string =>
  `sarif:${
    tool
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'tool'
  }`;

function severity(
  r: z.output<typeof resultSchema>,
  ru: z.output<typeof rule> | undefined,
): [Severity, number | null] {
  const sec = numberOrNull(r.properties?.['security-severity'] ?? ru?.properties?.['security-severity']);
  if (sec !== null) return [severityOfScore(sec), sec];
  const prop = r.properties?.['severity'];
  const word = typeof prop === 'string' ? prop.toLowerCase() : '';
  return [SEV_WORD[word] ?? LEVEL[r.level ?? 'warning'] ?? 'medium', null];
}

export function* parseSarif(json: unknown): Generator<HostBatch> {
  const parsed = log.safeParse(json);
  if (!parsed.success)
    throw hubError(
      'IMPORT_PARSE_FAILED',
      `SARIF: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  for (const rn of parsed.data.runs) {
    const rules = rn.tool.driver.rules ?? [];
    const byId = new Map(rules.map((r) => [r.id, r]));
    const observations: ScanObservation[] = [];
    for (const raw of rn.results ?? []) {
      const p = resultSchema.safeParse(raw);
      if (!p.success) continue;
      const r = p.data;
      const index = r.ruleIndex ?? r.rule?.index;
      const ru = (index !== undefined ? rules[index] : undefined) ?? byId.get(r.ruleId ?? r.rule?.id ?? '');
      const ruleId = r.ruleId ?? r.rule?.id ?? ru?.id;
      if (!ruleId) continue;
      const uri = r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
      const fp = Object.entries({ ...r.partialFingerprints, ...r.fingerprints }).sort(([a], [b]) =>
        a.localeCompare(b),
      )[0];
      const [sev, score] = severity(r, ru);
      const text = r.message?.text ?? ru?.shortDescription?.text ?? ruleId;
      observations.push({
        ...emptyObservation(),
        location: cut(fp ? `${fp[0]}:${fp[1]}` : uri || '(no location)', 500),
        cves: cveIds([ruleId]),
        scannerId: `rule:${cut(ruleId, 200)}`,
        severity: sev,
        cvssScore: score !== null && score >= 0 && score <= 10 ? score : null,
        title: cut(ru?.shortDescription?.text ?? ru?.name ?? text.split('\n')[0] ?? ruleId, 500),
        description: cut(ru?.fullDescription?.text ?? text, 16 * 1024),
        solution: cut(ru?.help?.text ?? '', 16 * 1024),
        raw: cut(JSON.stringify(raw), 8 * 1024),
      });
    }
    const at = rn.invocations?.[0]?.startTimeUtc ? new Date(rn.invocations[0].startTimeUtc) : null;
    // Without a repository the tool's name stands for the target (`--asset` pins it instead).
    const target = rn.versionControlProvenance?.[0]?.repositoryUri ?? `${rn.tool.driver.name} target`;
    yield {
      host: { ips: [], macs: [], hostnames: [cut(target || rn.tool.driver.name, 255)], ports: [] },
      observations,
      observedAt: at && !Number.isNaN(at.getTime()) ? at : null,
      source: sarifSource(rn.tool.driver.name),
    };
  }
}
