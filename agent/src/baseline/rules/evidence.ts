// Evidence helpers: bounded, and never carrying secrets. Content of secret files (shadow,
// private keys) is replaced as a whole; elsewhere values after password-like keys are masked.
import { EVAL_LIMITS, type Evidence } from '../types.js';

const SECRET_PATHS = [
  /^\/etc\/g?shadow-?$/,
  /^\/etc\/ssh\/ssh_host_[^/]*_key$/,
  /\.(key|pem|p12|pfx)$/,
  /(^|\/)id_(rsa|dsa|ecdsa|ed25519)$/,
  /^\/etc\/security\/opasswd$/,
];
const SECRET_VALUE =
  /((?:pass(?:word|wd|phrase)?|secret|token|api[_-]?key|private[_-]?key|credentials?)\s*[=:]\s*|\$\d\$|\$y\$)\S+/gi;

export const REDACTED = '<redacted>';

export function isSecretPath(path: string): boolean {
  return SECRET_PATHS.some((re) => re.test(path));
}

/** A line fit for evidence: masked and capped. */
export function safeLine(path: string, line: string): string {
  if (isSecretPath(path)) return REDACTED;
  return cap(line.replace(SECRET_VALUE, (_m, prefix: string) => `${prefix}${REDACTED}`));
}

export function cap(text: string): string {
  return text.length > EVAL_LIMITS.maxFoundChars ? `${text.slice(0, EVAL_LIMITS.maxFoundChars - 1)}…` : text;
}

export function evidence(rule: string, target: string, found: string, matched: boolean): Evidence {
  return { rule: cap(rule), target: cap(target), found: cap(found), matched };
}
