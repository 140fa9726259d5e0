// What scoring needs to know about one finding (stored or about to be), and the inputs the
// formula gets for it from intel, the ledger and the scanner.
import type { IntelVulnerability } from '../intel/store-api.js';
import type { Severity } from '../findings/index.js';
import type { AssetRiskFacts } from './repository.js';
import type { RiskInputs } from './score.js';

/** What a producer knew, kept in riskFactors.scanner so a re-score does not need the report again. */
export interface ScannerRiskHints {
  v31?: string;
  v40?: string;
  score?: number | null;
}

export interface RiskSubject {
  assetId: string;
  cve: string | null;
  port: number | null;
  protocol: string | null;
  severity: Severity;
  cvssScore: number | null;
  confidence: string | null;
  scanner: ScannerRiskHints;
}

const CONFIDENCES = new Set(['confirmed', 'firm', 'tentative']);

/** The scanner hints stored in riskFactors.scanner (JSON from the store: checked, not trusted). */
export function hintsOf(v: unknown): ScannerRiskHints {
  if (typeof v !== 'object' || v === null) return {};
  const h = v as Record<string, unknown>;
  return {
    ...(typeof h['v31'] === 'string' ? { v31: h['v31'] } : {}),
    ...(typeof h['v40'] === 'string' ? { v40: h['v40'] } : {}),
    score: typeof h['score'] === 'number' ? h['score'] : null,
  };
}

export function inputsFor(
  s: RiskSubject,
  asset: AssetRiskFacts | undefined,
  v: IntelVulnerability | undefined,
): RiskInputs {
  return {
    intelVectors: { v40: v?.cvss4?.vector ?? null, v31: v?.cvss3?.vector ?? null },
    scannerVectors: { v40: s.scanner.v40, v31: s.scanner.v31 },
    scannerScore: s.scanner.score ?? s.cvssScore,
    severity: s.severity,
    kev: {
      listed: !!v?.kev,
      knownRansomware: v?.kev?.knownRansomwareCampaignUse.toLowerCase() === 'known',
      dueDate: v?.kev?.dueDate ?? null,
    },
    epss: v?.epss ? { probability: v.epss.score, percentile: v.epss.percentile } : null,
    cia: asset?.cia ?? { confidentiality: null, integrity: null, availability: null },
    zone: asset?.zone ?? 'internal',
    portOpen: s.port === null ? null : (asset?.openPorts.has(`${s.protocol ?? 'tcp'}/${s.port}`) ?? false),
    confidence: CONFIDENCES.has(s.confidence ?? '') ? (s.confidence as RiskInputs['confidence']) : 'firm',
  };
}
