// What never leaves the agent in clear: secret files (by hash only) and secret-looking values
// inside the diffs of ordinary configs.
import { basename } from 'node:path';

/** Files that are hashed only, whatever the policies say (the policies' `secrets` add to these). */
export const BUILTIN_SECRET_GLOBS: readonly string[] = [
  '/etc/shadow',
  '/etc/shadow-',
  '/etc/gshadow',
  '/etc/gshadow-',
  '/etc/security/opasswd',
  '/etc/ssh/ssh_host_*_key',
  '*.key',
  'id_*',
];

const REDACTED = '<redacted>';

/** `*` matches within one path segment, `**` across segments; a pattern without `/` matches the base name. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

export class SecretMatcher {
  private readonly full: RegExp[] = [];
  private readonly base: RegExp[] = [];

  constructor(globs: readonly string[]) {
    for (const g of [...BUILTIN_SECRET_GLOBS, ...globs]) {
      (g.includes('/') ? this.full : this.base).push(globToRegExp(g));
    }
  }

  /** Public keys (`*.pub`) are not secrets even when `id_*` matches them. */
  isSecretPath(path: string): boolean {
    const name = basename(path);
    if (name.endsWith('.pub')) return false;
    return this.full.some((r) => r.test(path)) || this.base.some((r) => r.test(name));
  }
}

/** Content that is a private key whatever its name. */
export function looksLikePrivateKey(text: string): boolean {
  return /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text);
}

// name = value / name: value, where the name says it holds a secret (also commented out, or
// behind a shell `export`: a commented password is still a password).
const ASSIGNMENT =
  /^(\s*(?:(?:#+|;+|\/\/|--)\s*)?(?:export\s+)?["']?[\w.\-[\]]*?(?:pass(?:word|wd|phrase)?|pwd|secret|token|credentials?|key)["']?\s*[=:]\s*)(\S.*)$/i;
// Directives that take a secret as a whitespace-separated argument (redis, auth files, ...).
const DIRECTIVE =
  /^(\s*(?:requirepass|masterauth|password|passwd|secret|token|api[_-]?key|auth[_-]?token)\s+)(\S.*)$/i;
// user:password@ inside URLs.
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;

/**
 * Replaces the value of secret-looking settings on one line. The name must END with a secret
 * word (api_key, db_password) so that e.g. sshd's `PubkeyAuthentication yes` stays readable.
 */
export function redactLine(line: string): string {
  let out = line.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
  const assignment = ASSIGNMENT.exec(out);
  if (assignment?.[1] !== undefined && assignment[2] !== undefined && !assignment[2].startsWith(REDACTED)) {
    return assignment[1] + REDACTED;
  }
  const directive = DIRECTIVE.exec(out);
  if (directive?.[1] !== undefined) out = directive[1] + REDACTED;
  return out;
}

// Inside a command (cron): NAME=value where NAME ends in a secret word, --password=x / --token x,
// and mysql's glued -pSECRET.
const INLINE_ASSIGNMENT =
  /(\b\w*(?:pass(?:word|wd|phrase)?|pwd|secret|token|credentials?|key)=)(?:"[^"]*"|'[^']*'|\S+)/gi;
const LONG_OPTION =
  /(--[\w-]*(?:pass(?:word|wd|phrase)?|secret|token|credentials?|api-?key)(?:=|\s+))(?:"[^"]*"|'[^']*'|\S+)/gi;
const MYSQL_P = /(\s-p)(?=\S)(?!<redacted>)\S+/g;

/** A command line (cron entry) with secret-looking arguments masked, wherever they appear. */
export function redactCommandLine(line: string): string {
  return redactLine(line)
    .replace(INLINE_ASSIGNMENT, `$1${REDACTED}`)
    .replace(LONG_OPTION, `$1${REDACTED}`)
    .replace(MYSQL_P, `$1${REDACTED}`);
}

/** Redacts every content line of a unified diff (file headers and hunk markers stay as they are). */
export function redactPatch(patch: string): string {
  let inHunks = false;
  return patch
    .split('\n')
    .map((l) => {
      if (l.startsWith('@@')) {
        inHunks = true;
        return l;
      }
      if (!inHunks || l.startsWith('\\')) return l;
      const mark = l.slice(0, 1);
      return mark === '+' || mark === '-' || mark === ' ' ? mark + redactLine(l.slice(1)) : l;
    })
    .join('\n');
}
