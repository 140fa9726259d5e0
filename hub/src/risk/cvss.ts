// CVSS v3.x and v4.0 vectors parsed and scored by ae-cvss-calculator (FIRST's reference
// algorithms, maintained by metaeffekt): never hand-written here.
// The package is a UMD bundle: Node's ESM loader sees only its default export (module.exports).
import cvssCalculator from 'ae-cvss-calculator';

const { Cvss3P0, Cvss3P1, Cvss4P0 } = cvssCalculator;

export interface CvssScore {
  version: '3.0' | '3.1' | '4.0';
  vector: string;
  baseScore: number;
}

// A report repeats the same few hundred vectors thousands of times: memoised, bounded.
const MEMO_MAX = 10_000;
const memo = new Map<string, CvssScore | null>();

/** Base score of a full base vector; null for anything the library cannot score completely. */
export function scoreVector(vector: string): CvssScore | null {
  const hit = memo.get(vector);
  if (hit !== undefined || memo.has(vector)) return hit ?? null;
  const scored = scoreUncached(vector);
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(vector, scored);
  return scored;
}

function scoreUncached(vector: string): CvssScore | null {
  const v = vector.trim();
  try {
    if (v.startsWith('CVSS:4.0/')) {
      const c = new Cvss4P0(v);
      const base = c.isBaseFullyDefined() ? c.calculateScores().base : undefined;
      return base === undefined ? null : { version: '4.0', vector: v, baseScore: base };
    }
    const c = v.startsWith('CVSS:3.1/') ? new Cvss3P1(v) : v.startsWith('CVSS:3.0/') ? new Cvss3P0(v) : null;
    if (!c || !c.isBaseFullyDefined()) return null;
    const base = c.calculateScores().base;
    return base === undefined
      ? null
      : { version: v.startsWith('CVSS:3.1/') ? '3.1' : '3.0', vector: v, baseScore: base };
  } catch {
    return null; // unknown metric or value: not a vector we can trust
  }
}
