// Line tests (regex / numeric / literal, each optionally negated). A set of tests holds on a
// text when ONE line satisfies ALL of them — the SCA `&&` semantics.
import type { LineTest } from '@watchpost/proto';
import { EVAL_LIMITS, RuleError } from '../types.js';

export type LineMatcher = (line: string) => boolean;

function compileRegex(pattern: string, ignoreCase: boolean): RegExp {
  try {
    return new RegExp(pattern, ignoreCase ? 'i' : '');
  } catch (err) {
    throw new RuleError(`invalid regex ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
}

const COMPARE = {
  lt: (a: number, b: number) => a < b,
  le: (a: number, b: number) => a <= b,
  eq: (a: number, b: number) => a === b,
  ne: (a: number, b: number) => a !== b,
  ge: (a: number, b: number) => a >= b,
  gt: (a: number, b: number) => a > b,
} as const;

export function compileTest(test: LineTest): LineMatcher {
  let positive: LineMatcher;
  if (test.type === 'regex') {
    const re = compileRegex(test.pattern, test.ignoreCase);
    positive = (line) => re.test(line);
  } else if (test.type === 'numeric') {
    const re = compileRegex(test.pattern, test.ignoreCase);
    const cmp = COMPARE[test.op];
    positive = (line) => {
      const captured = re.exec(line)?.[1];
      if (captured === undefined || captured.trim() === '') return false;
      const n = Number(captured.trim());
      return Number.isFinite(n) && cmp(n, test.value);
    };
  } else {
    const value = test.value;
    positive = (line) => line === value;
  }
  return test.negate ? (line) => !positive(line) : positive;
}

export function compileTests(tests: readonly LineTest[]): LineMatcher[] {
  return tests.map(compileTest);
}

/** A line as matched: CR stripped and capped at 64 KiB so no regex sees an unbounded input. */
export function matchableLine(line: string): string {
  const l = line.endsWith('\r') ? line.slice(0, -1) : line;
  return l.length > EVAL_LIMITS.maxLineBytes ? l.slice(0, EVAL_LIMITS.maxLineBytes) : l;
}

export function lineSatisfies(matchers: readonly LineMatcher[], line: string): boolean {
  const l = matchableLine(line);
  return matchers.every((m) => m(l));
}

/**
 * The first line of `text` satisfying all matchers, or undefined. The empty "line" after a final
 * newline is not a line (a negated-only test must not hold on it).
 */
export function findLine(matchers: readonly LineMatcher[], text: string): string | undefined {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    if (lineSatisfies(matchers, line)) return matchableLine(line);
    start = end + 1;
  }
  return undefined;
}

export function describeTest(test: LineTest): string {
  const not = test.negate ? '!' : '';
  if (test.type === 'regex') return `${not}r:${test.pattern}${test.ignoreCase ? ' (i)' : ''}`;
  if (test.type === 'numeric') return `${not}n:${test.pattern} compare ${test.op} ${test.value}`;
  return `${not}literal:${test.value}`;
}

export function describeTests(tests: readonly LineTest[] | undefined): string {
  return tests && tests.length > 0 ? ` -> ${tests.map(describeTest).join(' && ')}` : '';
}
