import type { CredentialMethod, DefaultCredential } from './spec.js';

export interface CredentialTarget {
  host: string;
  port: number;
  /** nmap service name: redis, mysql, postgresql, amqp, mqtt, ssh, http, https, ... */
  service: string;
  product?: string;
}

/** One login attempt. `group` lets a check skip the rest of a group (HTTP: one path). */
export interface Attempt {
  username: string;
  password: string | null;
  method: CredentialMethod | 'probe';
  group?: string;
}

export type AttemptOutcome =
  | { kind: 'success'; proof: string }
  /** The server refused these credentials; try the next ones. */
  | { kind: 'denied' }
  /** The rest of this attempt's group does not apply (HTTP path without basic auth). */
  | { kind: 'not_applicable' }
  /** The server signals a lockout: stop this service at once. */
  | { kind: 'lockout'; detail: string }
  /** Not the expected protocol, refused, reset or silent: further attempts would fail the same way. */
  | { kind: 'unreachable'; detail: string };

export interface ServiceCheck {
  /** WeakCredential.service value. */
  service: string;
  nmapServices: readonly string[];
  credentials: readonly DefaultCredential[];
  /** Builds the ordered attempts; defaults to one attempt per credential. */
  plan?: (credentials: readonly DefaultCredential[]) => Attempt[];
  /**
   * Performs one attempt. Must release its socket when `signal` aborts (the runner stops waiting
   * at that moment) and when it returns.
   */
  attempt: (target: CredentialTarget, attempt: Attempt, signal: AbortSignal) => Promise<AttemptOutcome>;
}
