/** The console's only HTTP client: same-origin fetch, JSON, schema-checked, `{code,message}` errors. */
import * as z from 'zod/mini';
import { sessionHeaders } from './session';
import { apiErrorBodySchema } from './types';

/** Client-side codes, in the same UPPER_SNAKE style as the hub's. */
export type ClientErrorCode = 'HUB_UNREACHABLE' | 'UNEXPECTED_RESPONSE';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** The hub's stable code, or a client-side one. */
    readonly code: string,
    message: string,
    /** HTTP status; 0 when no answer arrived. */
    readonly status: number,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** JSON-encoded; a Blob (a picked file) is sent as is, as application/octet-stream. */
  body?: unknown;
  signal?: AbortSignal;
}

export async function requestJson<S extends z.ZodMiniType>(
  path: string,
  schema: S,
  options: RequestOptions = {},
): Promise<z.infer<S>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', ...sessionHeaders(method) };
  const raw = options.body instanceof Blob;
  if (options.body !== undefined)
    headers['Content-Type'] = raw ? 'application/octet-stream' : 'application/json';

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? null : raw ? (options.body as Blob) : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError('HUB_UNREACHABLE', describe(cause), 0);
  }

  const payload: unknown = response.status === 204 ? {} : await response.json().catch(() => undefined);
  if (!response.ok) {
    const body = apiErrorBodySchema.safeParse(payload);
    if (response.status === 401) onUnauthenticated?.();
    if (body.success) throw new ApiError(body.data.code, body.data.message, response.status);
    // A proxy or a stopped dev-server answers without the hub's error body.
    const code = response.status >= 502 && response.status <= 504 ? 'HUB_UNREACHABLE' : 'UNEXPECTED_RESPONSE';
    throw new ApiError(code, `HTTP ${String(response.status)} ${response.statusText}`, response.status);
  }
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    throw new ApiError('UNEXPECTED_RESPONSE', z.prettifyError(parsed.error), response.status);
  }
  return parsed.data;
}

let onUnauthenticated: (() => void) | undefined;
/** Called on any 401 (the session ended): the router sends the user to the login page. */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
