// Policy YAML → validated document, or line-numbered errors. Every zod issue path is mapped back
// to the YAML node it came from (the nearest existing ancestor when the key is missing), and every
// regex in the document must compile as a JavaScript RegExp, reported at its own line.
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { POLICY_LIMITS, policyDocumentSchema, type PolicyDocument } from '@watchpost/proto';
import type { PolicyValidationError } from './validation-error.js';

export type { PolicyValidationError };

export type PolicyValidation =
  { ok: true; document: PolicyDocument } | { ok: false; errors: PolicyValidationError[] };

/** Bound on reported errors: enough to fix a document, not enough to flood a response. */
const MAX_ERRORS = 100;

type Path = readonly (string | number)[];

function position(doc: Document, lc: LineCounter, path: Path): { line: number; column: number } {
  // The node at `path`, or its nearest ancestor that exists (a missing key reports its parent).
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const { line, col } = lc.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return { line: 1, column: 1 };
}

function patternsOf(value: unknown, path: (string | number)[], out: { path: Path; pattern: string }[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => patternsOf(v, [...path, i], out));
  else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ((o['type'] === 'regex' || o['type'] === 'numeric') && typeof o['pattern'] === 'string') {
      out.push({ path: [...path, 'pattern'], pattern: o['pattern'] });
    }
    for (const [k, v] of Object.entries(o)) patternsOf(v, [...path, k], out);
  }
}

/** The JS RegExp checks the schema cannot express: compiles, and `numeric` has a capture group. */
function regexErrors(input: unknown): { path: Path; message: string }[] {
  const found: { path: Path; pattern: string }[] = [];
  patternsOf(input, [], found);
  const errors: { path: Path; message: string }[] = [];
  for (const { path, pattern } of found) {
    try {
      const re = new RegExp(`${pattern}|`);
      const groups = (re.exec('')?.length ?? 1) - 1;
      const parent = path.slice(0, -1);
      const node = parent.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], input);
      if ((node as Record<string, unknown>)['type'] === 'numeric' && groups < 1) {
        errors.push({ path, message: 'numeric pattern needs one capture group' });
      }
    } catch (err) {
      errors.push({ path, message: `invalid regular expression: ${(err as Error).message}` });
    }
  }
  return errors;
}

export function validatePolicyYaml(text: string): PolicyValidation {
  if (Buffer.byteLength(text, 'utf8') > POLICY_LIMITS.maxDocumentBytes) {
    return {
      ok: false,
      errors: [
        { line: 1, column: 1, path: '', message: `larger than ${POLICY_LIMITS.maxDocumentBytes} bytes` },
      ],
    };
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.slice(0, MAX_ERRORS).map((e) => {
        const { line, col } = lc.linePos(e.pos[0]);
        return { line, column: col, path: '', message: e.message.split('\n')[0] ?? e.message };
      }),
    };
  }
  let input: unknown;
  try {
    input = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, errors: [{ line: 1, column: 1, path: '', message: (err as Error).message }] };
  }
  const parsed = policyDocumentSchema.safeParse(input);
  const issues: { path: Path; message: string }[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({
        path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
        message: i.message,
      }));
  issues.push(...regexErrors(input));
  if (parsed.success) {
    const ids = new Set<string>();
    parsed.data.checks.forEach((c, i) => {
      if (ids.has(c.id)) issues.push({ path: ['checks', i, 'id'], message: `duplicate check id "${c.id}"` });
      ids.add(c.id);
    });
  }
  if (issues.length > 0 || !parsed.success) {
    const errors = issues.slice(0, MAX_ERRORS).map((i) => ({
      ...position(doc, lc, i.path),
      path: i.path.join('.'),
      message: i.message,
    }));
    errors.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, errors };
  }
  return { ok: true, document: parsed.data };
}
