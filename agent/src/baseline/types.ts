// Result shapes of one policy run, independent of the wire format (report.ts maps them).

export type CheckStatus = 'pass' | 'fail' | 'not_applicable' | 'error';

export interface Evidence {
  /** The rule as a short native description (or the SCA text the importer kept). */
  rule: string;
  /** File, command, process, key … that was examined. */
  target: string;
  /** The matching or missing line, actual mode/owner, value found. Never a secret. */
  found: string;
  /** Did the rule hold (after its own negation, before the check's condition). */
  matched: boolean;
}

/** A rule's verdict. `invalid` = could not be evaluated (SCA "not applicable" for that rule). */
export interface RuleVerdict {
  state: 'true' | 'false' | 'invalid';
  /** Why invalid (stable text). */
  reason?: string;
  evidence: Evidence[];
}

export interface CheckOutcome {
  checkId: string;
  status: CheckStatus;
  /** Set for not_applicable and error. */
  reason: string;
  evidence: Evidence[];
  durationMs: number;
}

export interface PolicyOutcome {
  startedAtMs: number;
  durationMs: number;
  results: CheckOutcome[];
  passed: number;
  failed: number;
  notApplicable: number;
  errors: number;
  /** passed / (passed + failed) × 100; 0 when nothing was decidable. */
  score: number;
  requirementsUnmet: boolean;
  requirementsReason: string;
}

/**
 * A defect of the policy itself (e.g. a regex that does not compile): the check ends `error`
 * with this message, the run goes on.
 */
export class RuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleError';
  }
}

/** Stable reason texts (the hub and the console show them; tests pin them). */
export const REASONS = {
  commandsDisabled: 'commands disabled on this agent',
  unreadable: (code: string) => `file not readable: ${code}`,
  unsupported: (reason: string) => `unsupported rule: ${reason}`,
  requirementsUnmet: (what: string) => `requirements not met: ${what}`,
  tooLarge: (bytes: number) => `file too large: ${bytes} bytes (limit 8 MiB)`,
} as const;

export const EVAL_LIMITS = {
  /** Evidence entries kept per check. */
  maxEvidence: 16,
  /** Characters of `found` kept per evidence. */
  maxFoundChars: 512,
  /** Lines longer than this are truncated before matching (backtracking guard). */
  maxLineBytes: 64 * 1024,
  /** Files larger than this are not read; the rule is not applicable. */
  maxFileBytes: 8 * 1024 * 1024,
  /** Directory entries visited per directory rule (recursive walks included). */
  maxDirEntries: 20_000,
  maxDirDepth: 16,
} as const;
