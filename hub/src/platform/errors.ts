// The hub's one error factory. Every error a client can see has a stable UPPER_SNAKE code and an
// HTTP status; the first Koa middleware maps a HubError to {code, message}. Anything else becomes
// a plain 500 whose cause goes only to the log.
export const ErrorCodes = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  AGENT_OFFLINE: 409,
  TENANT_NOT_FOUND: 404,
  TOKEN_INVALID: 400,
  SCOPE_VIOLATION: 400,
  INTERNAL: 500,
  INTEL_FEED_INVALID: 422,
  INTEL_FORMAT_UNKNOWN: 415,
  IMPORT_XML_HOSTILE: 400,
  IMPORT_PARSE_FAILED: 400,
  POLICY_INVALID: 422,
} as const;
export type ErrorCode = keyof typeof ErrorCodes;

export class HubError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'HubError';
    this.code = code;
    this.status = ErrorCodes[code];
    this.details = details;
  }
}

export function hubError(code: ErrorCode, message: string, details?: Record<string, unknown>): HubError {
  return new HubError(code, message, details);
}

export function isHubError(err: unknown): err is HubError {
  return err instanceof HubError;
}
