// Wazuh SCA YAML → policy document. Pure: text in, document + warnings out. Every rule that
// cannot be translated faithfully becomes an `unsupported` rule (the agent reports its check
// not_applicable with that reason — never a silent pass) and an import warning.
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { z } from 'zod';
import {
  POLICY_LIMITS,
  policyDocumentSchema,
  type PolicyDocument,
  type PolicyDocumentInput,
  type PolicyRule,
} from '@watchpost/proto';
import { translateRule, UnsupportedSca } from './rules.js';

export interface ScaImportWarning {
  checkId: string | null;
  rule: string | null;
  message: string;
}

export interface ScaImportResult {
  document: PolicyDocument;
  warnings: ScaImportWarning[];
  stats: { checks: number; rules: number; unsupportedRules: number; checksWithUnsupported: number };
}

export class ScaImportError extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
  ) {
    super(message);
  }
}

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const condition = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(['all', 'any', 'none']));
const scaCheckSchema = z.object({
  id: scalar,
  title: scalar.optional(),
  name: scalar.optional(),
  description: scalar.optional(),
  rationale: scalar.optional(),
  remediation: scalar.optional(),
  impact: scalar.optional(),
  references: z.array(scalar).optional(),
  compliance: z.unknown().optional(),
  condition: condition.default('all'),
  rules: z.array(scalar).min(1),
});
const scaSchema = z.object({
  policy: z.object({
    id: scalar,
    name: scalar.optional(),
    description: scalar.optional(),
    regex_type: scalar.optional(),
  }),
  requirements: z
    .object({
      title: scalar.optional(),
      name: scalar.optional(),
      condition: condition.default('all'),
      rules: z.array(scalar).min(1),
    })
    .optional(),
  variables: z.record(z.string(), scalar).optional(),
  checks: z.array(scaCheckSchema).min(1),
});

const clip = (s: string, max: number = POLICY_LIMITS.maxTextLength) =>
  s.length > max ? `${s.slice(0, max - 1)}…` : s;

/** Wazuh substitutes defined variables textually, longest name first (wm_sort_variables). */
function substitute(rule: string, vars: ReadonlyArray<[string, string]>): string {
  let out = rule;
  for (const [name, value] of vars) out = out.split(name).join(value);
  return out;
}

/** compliance as a map or a list of one-key maps; nested maps flatten to `key.sub`. */
function complianceOf(raw: unknown, cisFromComment: string | null): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (key: string, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) add(`${key}.${k}`, v);
      return;
    }
    const items: unknown[] = Array.isArray(value) ? value : [value];
    const list = items.map((v) => clip(typeof v === 'string' ? v : JSON.stringify(v), 128));
    const k = clip(key, 64);
    out[k] = [...(out[k] ?? []), ...list].slice(0, 64);
  };
  const entries: unknown[] = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : [];
  for (const e of entries) {
    if (e && typeof e === 'object')
      for (const [k, v] of Object.entries(e as Record<string, unknown>)) add(k, v);
  }
  if (!out['cis'] && cisFromComment) out['cis'] = [cisFromComment];
  return out;
}

/** "# 5.2.4 Ensure …" comments above a check name its CIS section (CIS Debian 12 style). */
function cisFromComment(comment: string | undefined | null): string | null {
  if (!comment) return null;
  const lines = comment.split('\n').reverse();
  for (const l of lines) {
    const m = /^\s*(\d+(?:\.\d+)+)\s+\S/.exec(l);
    if (m) return m[1] as string;
  }
  return null;
}

function policyId(raw: string): string {
  const id = raw
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 128);
  if (!id) throw new ScaImportError(`policy.id "${raw}" has no usable characters`);
  return id;
}

export function importScaPolicy(yamlText: string): ScaImportResult {
  if (Buffer.byteLength(yamlText, 'utf8') > POLICY_LIMITS.maxDocumentBytes) {
    throw new ScaImportError(`SCA policy larger than ${POLICY_LIMITS.maxDocumentBytes} bytes`);
  }
  const lc = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const firstError = doc.errors[0];
  if (firstError) {
    throw new ScaImportError(`YAML: ${firstError.message}`, lc.linePos(firstError.pos[0]).line);
  }
  let raw: unknown;
  try {
    // Throws on an alias bomb (more than 100 alias expansions): bad input, not a server fault.
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new ScaImportError(`YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = scaSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new ScaImportError(`not an SCA policy: ${i?.path.join('.') || 'document'}: ${i?.message ?? ''}`);
  }
  const sca = parsed.data;
  if (sca.policy.regex_type && sca.policy.regex_type.toLowerCase() !== 'osregex') {
    // PCRE2 policies would need their own translation (case-sensitive, different escapes).
    throw new ScaImportError(`regex_type "${sca.policy.regex_type}" is not supported (only osregex)`);
  }
  const checksNode = doc.get('checks', true) as Node | undefined;
  // A comment above the first item belongs to the sequence itself, the others to their item.
  const comments: (string | undefined)[] = isSeq(checksNode)
    ? checksNode.items.map((n, i) => {
        const own = isMap(n) ? (n.commentBefore ?? undefined) : undefined;
        return i === 0 ? [checksNode.commentBefore, own].filter(Boolean).join('\n') : own;
      })
    : [];

  const vars = Object.entries(sca.variables ?? {})
    .map(([k, v]): [string, string] => [k.startsWith('$') ? k : `$${k}`, v])
    .sort((a, b) => b[0].length - a[0].length);
  const warnings: ScaImportWarning[] = [];
  const stats = { checks: 0, rules: 0, unsupportedRules: 0, checksWithUnsupported: 0 };

  const translate = (checkId: string | null, rules: string[]): PolicyRule[] =>
    rules.slice(0, POLICY_LIMITS.maxRulesPerCheck).map((source): PolicyRule => {
      stats.rules++;
      const text = substitute(source, vars);
      try {
        const t = translateRule(text);
        for (const message of t.notes) warnings.push({ checkId, rule: source, message });
        return t.rule;
      } catch (err) {
        if (!(err instanceof UnsupportedSca)) throw err;
        stats.unsupportedRules++;
        warnings.push({ checkId, rule: source, message: `unsupported: ${err.message}` });
        return {
          kind: 'unsupported',
          source: clip(source),
          reason: clip(`SCA rule not supported: ${err.message}`),
        };
      }
    });

  const seen = new Set<string>();
  const checks = sca.checks.map((c, i) => {
    const id = clip(c.id, 128);
    if (seen.has(id)) throw new ScaImportError(`duplicate check id ${id}`);
    seen.add(id);
    if (c.rules.length > POLICY_LIMITS.maxRulesPerCheck) {
      warnings.push({
        checkId: id,
        rule: null,
        message: `only the first ${POLICY_LIMITS.maxRulesPerCheck} rules kept`,
      });
    }
    const before = stats.unsupportedRules;
    const rules = translate(id, c.rules);
    if (stats.unsupportedRules > before) stats.checksWithUnsupported++;
    stats.checks++;
    const refs = c.references?.length ? `\nReferences: ${c.references.join(' ')}` : '';
    const description = [c.description, c.impact ? `Impact: ${c.impact}` : undefined]
      .filter(Boolean)
      .join('\n');
    return {
      id,
      title: clip(c.title ?? c.name ?? `Check ${id}`, 512),
      ...(description || refs ? { description: clip(description + refs) } : {}),
      rationale: clip(c.rationale ?? ''),
      remediation: clip(c.remediation ?? ''),
      compliance: complianceOf(c.compliance, cisFromComment(comments[i])),
      condition: c.condition,
      rules,
    };
  });

  const name = sca.policy.name ?? sca.policy.id;
  const input: PolicyDocumentInput = {
    id: policyId(sca.policy.id),
    title: clip(name, 512),
    version: /v(\d+(?:\.\d+)*)/i.exec(name)?.[1] ?? '1.0',
    ...(sca.policy.description ? { description: clip(sca.policy.description) } : {}),
    ...(sca.requirements
      ? {
          requirements: {
            title: clip(sca.requirements.title ?? sca.requirements.name ?? '', 512),
            condition: sca.requirements.condition,
            rules: translate(null, sca.requirements.rules),
          },
        }
      : {}),
    checks,
  };
  const result = policyDocumentSchema.safeParse(input);
  if (!result.success) {
    const i = result.error.issues[0];
    throw new ScaImportError(`translated policy invalid at ${i?.path.join('.') ?? '?'}: ${i?.message ?? ''}`);
  }
  return { document: result.data, warnings, stats };
}
