// WebSocket close codes and error codes of the agent protocol. PROTOCOL.md documents each one;
// change both together.

/** Close codes the hub uses for agent connections (RFC 6455 private range 4000-4999). */
export const CloseCode = {
  /** Normal end: enrollment finished, or either side shutting down cleanly. */
  NORMAL: 1000,
  /** Hub shutting down; reconnect with backoff. */
  GOING_AWAY: 1001,
  /** Frame larger than the max frame size (sent by the ws library itself). */
  MESSAGE_TOO_BIG: 1009,
  /** Undecodable frame, text frame, unknown or out-of-place body. */
  BAD_FRAME: 4400,
  /** Unknown agent, bad signature, stale nonce. */
  AUTH_FAILED: 4401,
  /** Enrollment token unknown, expired, revoked, used up, or for another tenant. */
  ENROLLMENT_REFUSED: 4402,
  /** The agent was revoked; do not retry. */
  AGENT_REVOKED: 4403,
  /** No Enroll/Hello within the handshake timeout. */
  HANDSHAKE_TIMEOUT: 4408,
  /** seq not contiguous with the hub's last committed seq. */
  SEQ_OUT_OF_ORDER: 4409,
  /** A newer connection of the same agent replaced this one. */
  SUPERSEDED: 4410,
  /** More unacknowledged messages in flight than Limits.max_in_flight, or over the rate. */
  RATE_LIMITED: 4429,
  /** Hub-side failure; retry with backoff. */
  INTERNAL: 4500,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which an agent must not reconnect on its own. */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.AGENT_REVOKED]);

/** Codes carried by Reject.code (message-level rejections; the seq is acknowledged). */
export const RejectCode = {
  INVALID_MESSAGE: 'INVALID_MESSAGE',
  UNKNOWN_TASK: 'UNKNOWN_TASK',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
} as const;
export type RejectCode = (typeof RejectCode)[keyof typeof RejectCode];

/** Codes of AgentEvent.code. */
export const AgentEventCode = {
  TASK_SIGNATURE_INVALID: 'TASK_SIGNATURE_INVALID',
  TASK_REPLAYED: 'TASK_REPLAYED',
  TASK_EXPIRED: 'TASK_EXPIRED',
  TASK_WRONG_AGENT: 'TASK_WRONG_AGENT',
  TASK_UNSUPPORTED: 'TASK_UNSUPPORTED',
  POLICY_SIGNATURE_INVALID: 'POLICY_SIGNATURE_INVALID',
  POLICY_REPLAYED: 'POLICY_REPLAYED',
  /** Signed correctly but the document fails the policy schema; the last good version keeps running. */
  POLICY_INVALID: 'POLICY_INVALID',
  /** An upgrade build failed its size, sha256 or signature check: nothing was swapped. */
  UPGRADE_REFUSED: 'UPGRADE_REFUSED',
  /** The new build did not connect in time; the previous executable was restored. */
  UPGRADE_ROLLED_BACK: 'UPGRADE_ROLLED_BACK',
  /** The new build connected: the upgrade is final. */
  UPGRADE_COMPLETED: 'UPGRADE_COMPLETED',
  OUTBOX_FULL: 'OUTBOX_FULL',
  OUTBOX_RESUMED: 'OUTBOX_RESUMED',
  MESSAGE_REJECTED: 'MESSAGE_REJECTED',
  SCAN_OUT_OF_SCOPE: 'SCAN_OUT_OF_SCOPE',
} as const;
export type AgentEventCode = (typeof AgentEventCode)[keyof typeof AgentEventCode];

/** Codes of TaskResult.error_code. */
export const TaskErrorCode = {
  /** A scan target lies outside the agent's local scope allowlist: nothing was scanned. */
  SCOPE_VIOLATION: 'SCOPE_VIOLATION',
  /** Task parameters fail validation (bad target syntax, port list, limits). */
  INVALID_PARAMS: 'INVALID_PARAMS',
  /** nmap is not installed on the agent host. */
  NMAP_MISSING: 'NMAP_MISSING',
  /** nmap exited with an error. */
  NMAP_FAILED: 'NMAP_FAILED',
  /** Stopped by a CancelTask. */
  CANCELLED: 'CANCELLED',
  /** Stopped cleanly at the end of the scan window; hosts reported so far stand. */
  WINDOW_ENDED: 'WINDOW_ENDED',
  /** The task's own time limit ran out. */
  TIMEOUT: 'TIMEOUT',
  /** A baseline evaluation could not run (no applied policy of that id, evaluator failure). */
  BASELINE_FAILED: 'BASELINE_FAILED',
  /** Upgrade download, checksum, signature or swap failed. */
  UPGRADE_FAILED: 'UPGRADE_FAILED',
  /** Refused before running (signature, replay, wrong agent, expired). */
  REFUSED: 'REFUSED',
} as const;
export type TaskErrorCode = (typeof TaskErrorCode)[keyof typeof TaskErrorCode];
