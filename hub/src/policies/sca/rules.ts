// One SCA rule string → one policy rule. Grammar (Wazuh SCA, 4.x):
//   rule    := ["not "] type ":" target [" -> " …]
//   f:PATH [-> CONTENT]          d:DIR [-> FILE [-> CONTENT]]     p:PROCESS
//   c:COMMAND [-> CONTENT]       r:REGISTRY (Windows only)
//   CONTENT := minterm (" && " minterm)*   minterm := ["!"] ("r:"OS_Regex | "n:"OS_Regex" compare "OP N | literal)
// A minterm list holds when ONE line satisfies every minterm (wm_sca_pattern_matches). Anything
// that cannot be expressed faithfully becomes an `unsupported` rule naming why.
import type { LineTest, PolicyRule } from '@watchpost/proto';
import { escapeRegex, RegexTranslationError, translateOsRegex } from './os-regex.js';

export class UnsupportedSca extends Error {}

const NUMERIC_OPS: Record<string, 'lt' | 'le' | 'eq' | 'ne' | 'ge' | 'gt'> = {
  '==': 'eq',
  '!=': 'ne',
  '<=': 'le',
  '>=': 'ge',
  '<': 'lt',
  '>': 'gt',
};

/** Constructs that look like PCRE but OS_Regex takes literally: worth a warning on import. */
const PCRE_LOOKALIKES = /(^|[^\\])(\.[*+?]|\[[^\]]*\]|\{\d+(,\d*)?\}|\(\?)/;

export interface RuleTranslation {
  rule: PolicyRule;
  /** Non-fatal notes (e.g. PCRE-looking syntax that OS_Regex reads literally). */
  notes: string[];
}

function regexTest(osRegex: string, negate: boolean, notes: string[]): LineTest {
  if (PCRE_LOOKALIKES.test(osRegex)) {
    notes.push(`pattern "${osRegex}" uses PCRE syntax that OS_Regex (and so this import) reads literally`);
  }
  try {
    const { source } = translateOsRegex(osRegex);
    return { type: 'regex', pattern: source, ignoreCase: true, negate };
  } catch (err) {
    if (err instanceof RegexTranslationError) throw new UnsupportedSca(`${err.message} in "${osRegex}"`);
    throw err;
  }
}

function numericTest(expr: string, negate: boolean, notes: string[]): LineTest {
  const at = expr.indexOf(' compare ');
  if (at < 0) throw new UnsupportedSca(`n: without "compare OP VALUE" in "${expr}"`);
  const regex = expr.slice(0, at);
  const m = /^\s*(==|!=|<=|>=|<|>)\s*(\d+)\s*$/.exec(expr.slice(at + ' compare '.length));
  if (!m) throw new UnsupportedSca(`unrecognised numeric comparison in "${expr}"`);
  const base = regexTest(regex, false, notes);
  if (base.type !== 'regex') throw new Error('unreachable');
  const { groups } = translateOsRegex(regex);
  if (groups < 1) throw new UnsupportedSca(`n: pattern without a capture group in "${expr}"`);
  // Wazuh compares the FIRST capture; later groups become non-capturing so exactly one remains.
  let seen = 0;
  const pattern = base.pattern.replace(/(^|[^\\])\((?!\?)/g, (all, pre: string) =>
    ++seen === 1 ? all : `${pre}(?:`,
  );
  return {
    type: 'numeric',
    pattern,
    op: NUMERIC_OPS[m[1] as string] ?? 'eq',
    value: Number(m[2]),
    ignoreCase: true,
    negate,
  };
}

/** CONTENT → line tests (all must hold on one line). */
export function translateContent(content: string, notes: string[]): LineTest[] {
  const out: LineTest[] = [];
  for (const raw of content.split(' && ')) {
    let minterm = raw.trim();
    let negate = false;
    if (minterm.startsWith('!')) {
      negate = true;
      minterm = minterm.slice(1);
    }
    if (/^r:/i.test(minterm)) out.push(regexTest(minterm.slice(2), negate, notes));
    else if (/^n:/i.test(minterm)) out.push(numericTest(minterm.slice(2), negate, notes));
    else if (/^[=<>]:/.test(minterm)) throw new UnsupportedSca(`legacy comparison "${minterm}"`);
    else if (minterm.length === 0) throw new UnsupportedSca('empty content pattern');
    // A bare string is strcasecmp against the whole line: anchored, case-insensitive.
    else out.push({ type: 'regex', pattern: `^${escapeRegex(minterm)}$`, ignoreCase: true, negate });
  }
  return out;
}

/** A directory entry name test: `r:` is OS_Regex, a bare name is an exact (strcmp) match. */
function nameTest(spec: string, notes: string[]): LineTest {
  if (/^r:/i.test(spec)) return regexTest(spec.slice(2), false, notes);
  return { type: 'literal', value: spec, negate: false };
}

function checkPath(p: string): string {
  if (p.length === 0) throw new UnsupportedSca('empty path');
  if (p.includes(',')) throw new UnsupportedSca(`comma-separated path lists ("${p}")`);
  if (/^\$\w/.test(p)) throw new UnsupportedSca(`undefined variable in "${p}"`);
  return p;
}

export function translateRule(source: string): RuleTranslation {
  const notes: string[] = [];
  let text = source.trim();
  let negate = false;
  if (/^not\s+/i.test(text)) {
    negate = true;
    text = text.replace(/^not\s+/i, '');
  } else if (/^![fdpcr]:/i.test(text)) {
    negate = true;
    text = text.slice(1);
  }
  const m = /^([a-z]):(.*)$/is.exec(text);
  if (!m) throw new UnsupportedSca(`unrecognised rule "${source}"`);
  const type = (m[1] as string).toLowerCase();
  const parts = (m[2] as string).split(' -> ').map((s) => s.trim());
  const target = parts[0] ?? '';
  if (type === 'r') throw new UnsupportedSca('Windows registry rules (r:) do not apply on Linux');
  if (type === 'f') {
    if (parts.length > 2) throw new UnsupportedSca(`f: with more than one "->" in "${source}"`);
    const tests = parts[1] === undefined ? undefined : translateContent(parts[1], notes);
    return { rule: { kind: 'file', path: checkPath(target), tests, negate }, notes };
  }
  if (type === 'd') {
    if (parts.length > 3) throw new UnsupportedSca(`d: with more than two "->" in "${source}"`);
    const name = parts[1] === undefined ? undefined : nameTest(parts[1], notes);
    const tests = parts[2] === undefined ? undefined : translateContent(parts[2], notes);
    return {
      rule: { kind: 'directory', path: checkPath(target), recursive: true, name, tests, negate },
      notes,
    };
  }
  if (type === 'p') {
    if (parts.length > 1) throw new UnsupportedSca(`p: with "->" in "${source}"`);
    return { rule: { kind: 'process', tests: translateContent(target, notes), negate }, notes };
  }
  if (type === 'c') {
    if (target.length === 0) throw new UnsupportedSca('empty command');
    // The command itself may contain " -> " only in theory; SCA splits on the first one too.
    const content = parts.length > 1 ? parts.slice(1).join(' -> ') : undefined;
    const tests = content === undefined ? undefined : translateContent(content, notes);
    return { rule: { kind: 'command', command: target, tests, negate }, notes };
  }
  throw new UnsupportedSca(`unknown rule type "${type}:"`);
}
