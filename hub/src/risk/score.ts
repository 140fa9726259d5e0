// The risk formula (README.md in this folder explains it with a worked example). Pure: the
// inputs are gathered by service.ts; the output is the score and its stored breakdown.
import type { Severity } from '../findings/index.js';
import { scoreVector, type CvssScore } from './cvss.js';

export interface RiskInputs {
  /** Vectors from intel (preferred) and from the scanner. */
  intelVectors: { v40: string | null; v31: string | null };
  scannerVectors: { v40?: string | undefined; v31?: string | undefined };
  /** The scanner's own score when no vector scores (0–10). */
  scannerScore: number | null;
  severity: Severity;
  kev: { listed: boolean; knownRansomware: boolean; dueDate: string | null };
  epss: { probability: number; percentile: number } | null;
  /** CIA 1–5 from the ledger; null when not set. */
  cia: { confidentiality: number | null; integrity: number | null; availability: number | null };
  zone: string;
  /** The finding's port is open on the asset per discovery (null: no port involved). */
  portOpen: boolean | null;
  confidence: 'confirmed' | 'firm' | 'tentative';
}

export interface RiskBreakdown {
  score: number;
  base: { source: string; version: string | null; vector: string | null; score: number; points: number };
  kev: { listed: boolean; knownRansomware: boolean; points: number };
  epss: { probability: number | null; percentile: number | null; points: number };
  criticality: { max: number | null; points: number };
  exposure: { zone: string; portOpen: boolean | null; points: number };
  confidence: { level: string; factor: number };
}

export const WEIGHTS = {
  cvssPerPoint: 5, // base 0–10 → 0–50
  kev: 20,
  ransomware: 5,
  epssMax: 15, // × percentile
  criticalityPerLevel: 2.5, // (max CIA − 3) → −5 … +5
  zone: { internet: 10, 'internet-facing': 10, external: 10, dmz: 6 } as Record<string, number>,
  portOpen: 3,
  confidence: { confirmed: 1, firm: 0.9, tentative: 0.7 },
} as const;

/** When nothing scores, the severity's middle of its CVSS band stands in. */
const SEVERITY_SCORE: Record<Severity, number> = { critical: 9.5, high: 8, medium: 5.5, low: 2.5, info: 0 };

function baseOf(i: RiskInputs): RiskBreakdown['base'] {
  const tries: [string, string | null | undefined][] = [
    ['intel', i.intelVectors.v40],
    ['intel', i.intelVectors.v31],
    ['scanner', i.scannerVectors.v40],
    ['scanner', i.scannerVectors.v31],
  ];
  for (const [source, vector] of tries) {
    const s: CvssScore | null = vector ? scoreVector(vector) : null;
    if (s) return { source, version: s.version, vector: s.vector, score: s.baseScore, points: 0 };
  }
  if (i.scannerScore !== null)
    return { source: 'scanner-score', version: null, vector: null, score: i.scannerScore, points: 0 };
  return { source: 'severity', version: null, vector: null, score: SEVERITY_SCORE[i.severity], points: 0 };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function riskScore(i: RiskInputs): RiskBreakdown {
  const base = baseOf(i);
  base.points = round1(base.score * WEIGHTS.cvssPerPoint);
  const kevPoints =
    (i.kev.listed ? WEIGHTS.kev : 0) + (i.kev.listed && i.kev.knownRansomware ? WEIGHTS.ransomware : 0);
  const epssPoints = i.epss ? round1(WEIGHTS.epssMax * i.epss.percentile) : 0;
  const levels = [i.cia.confidentiality, i.cia.integrity, i.cia.availability].filter(
    (x): x is number => x !== null,
  );
  const max = levels.length ? Math.max(...levels) : null;
  const critPoints = max === null ? 0 : (max - 3) * WEIGHTS.criticalityPerLevel;
  const expPoints = (WEIGHTS.zone[i.zone] ?? 0) + (i.portOpen ? WEIGHTS.portOpen : 0);
  const factor = WEIGHTS.confidence[i.confidence];
  const raw = base.points + kevPoints + epssPoints + critPoints + expPoints;
  return {
    score: Math.min(100, Math.max(0, round1(raw * factor))),
    base,
    kev: { listed: i.kev.listed, knownRansomware: i.kev.knownRansomware, points: kevPoints },
    epss: {
      probability: i.epss?.probability ?? null,
      percentile: i.epss?.percentile ?? null,
      points: epssPoints,
    },
    criticality: { max, points: critPoints },
    exposure: { zone: i.zone, portOpen: i.portOpen, points: expPoints },
    confidence: { level: i.confidence, factor },
  };
}
