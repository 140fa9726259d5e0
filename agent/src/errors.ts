// The agent's one error factory: every error it raises on purpose carries a stable UPPER_SNAKE
// code and the process exit code the CLI should use for it.
export const AgentErrorCode = {
  CONFIG_INVALID: { exit: 1 },
  USAGE: { exit: 64 },
  NOT_ENROLLED: { exit: 1 },
  IDENTITY_INVALID: { exit: 1 },
  ENROLLMENT_REFUSED: { exit: 2 },
  ENROLLMENT_FAILED: { exit: 1 },
  AGENT_REVOKED: { exit: 3 },
  PROTOCOL: { exit: 1 },
  OUTBOX_CLOSED: { exit: 1 },
  STATE_LOCKED: { exit: 1 },
} as const;
export type AgentErrorCode = keyof typeof AgentErrorCode;

export class AgentError extends Error {
  readonly code: AgentErrorCode;
  readonly exitCode: number;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: AgentErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'AgentError';
    this.code = code;
    this.exitCode = AgentErrorCode[code].exit;
    this.details = details;
  }
}

export function agentError(
  code: AgentErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): AgentError {
  return new AgentError(code, message, details);
}

export function isAgentError(err: unknown): err is AgentError {
  return err instanceof AgentError;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
