// Alpine package version ordering, a port of apk-tools' src/version.c (apk_version_compare):
// a tokenizer over digits, one letter, `_suffix[N]` and `-rN`, with pre-release suffixes
// (_alpha < _beta < _pre < _rc) below the bare version and post-release ones (_cvs, _svn, _git,
// _hg, _p) above it.

// Token kinds in apk-tools' order; the order matters (a "smaller" next token ends a version early).
const T = {
  invalid: -1,
  digitOrZero: 0,
  digit: 1,
  letter: 2,
  suffix: 3,
  suffixNo: 4,
  revisionNo: 5,
  end: 6,
} as const;
type Token = (typeof T)[keyof typeof T];

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'];
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'];

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isLower = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z';

class Cursor {
  pos = 0;
  constructor(readonly s: string) {}
  get len(): number {
    return this.s.length - this.pos;
  }
  peek(k = 0): string | undefined {
    return this.s[this.pos + k];
  }
}

function nextToken(type: Token, c: Cursor): Token {
  let n: Token = T.invalid;
  const ch = c.peek();
  if (c.len === 0 || ch === '\0') n = T.end;
  else if ((type === T.digit || type === T.digitOrZero) && isLower(ch)) n = T.letter;
  else if (type === T.letter && isDigit(ch)) n = T.digit;
  else if (type === T.suffix && isDigit(ch)) n = T.suffixNo;
  else {
    if (ch === '.') n = T.digitOrZero;
    else if (ch === '_') n = T.suffix;
    else if (ch === '-') {
      if (c.len > 1 && c.peek(1) === 'r') {
        n = T.revisionNo;
        c.pos++;
      }
    }
    c.pos++;
  }
  if (n < type) {
    const allowed =
      (n === T.digitOrZero && type === T.digit) ||
      (n === T.suffix && type === T.suffixNo) ||
      (n === T.digit && type === T.letter);
    if (!allowed) n = T.invalid;
  }
  return n;
}

/** get_token(): reads one token's value and advances `state.type` to the kind of the next one. */
function getToken(state: { type: Token }, c: Cursor): number {
  if (c.len <= 0) {
    state.type = T.end;
    return 0;
  }
  let v = 0;
  let i = 0;
  let nt: Token = T.invalid;
  const rest = c.s.slice(c.pos);
  switch (state.type) {
    case T.digitOrZero:
      // Leading zeros after a dot compare as a fraction: 1.01 < 1.1 and 1.001 < 1.01.
      if (rest[0] === '0') {
        while (i < rest.length && rest[i] === '0') i++;
        // apk-tools 2.x forced the next token to a digit here, which made 1.0_rc1 newer than
        // 1.0; later releases (and Alpine's intent) keep the pre-release below the bare version.
        if (isDigit(rest[i])) nt = T.digit;
        v = -i;
      } else {
        while (i < rest.length && isDigit(rest[i])) v = v * 10 + (rest.charCodeAt(i++) - 48);
      }
      break;
    case T.digit:
    case T.suffixNo:
    case T.revisionNo:
      while (i < rest.length && isDigit(rest[i])) v = v * 10 + (rest.charCodeAt(i++) - 48);
      break;
    case T.letter:
      v = rest.charCodeAt(i++);
      break;
    case T.suffix: {
      const pre = PRE_SUFFIXES.findIndex((s) => rest.startsWith(s));
      if (pre >= 0) {
        i = PRE_SUFFIXES[pre]?.length ?? 0;
        v = pre - PRE_SUFFIXES.length;
        break;
      }
      const post = POST_SUFFIXES.findIndex((s) => rest.startsWith(s));
      if (post >= 0) {
        i = POST_SUFFIXES[post]?.length ?? 0;
        v = post;
        break;
      }
      state.type = T.invalid;
      return -1;
    }
    default:
      state.type = T.invalid;
      return -1;
  }
  c.pos += i;
  if (c.len === 0) state.type = T.end;
  else if (nt !== T.invalid) state.type = nt;
  else state.type = nextToken(state.type, c);
  return v;
}

/** Compares two apk versions: -1, 0 or 1. Invalid tails compare as apk-tools compares them. */
export function apkCompare(a: string, b: string): -1 | 0 | 1 {
  const ca = new Cursor(a.trim());
  const cb = new Cursor(b.trim());
  const sa = { type: T.digit as Token };
  const sb = { type: T.digit as Token };
  let av = 0;
  let bv = 0;
  while (sa.type === sb.type && sa.type !== T.end && sa.type !== T.invalid && av === bv) {
    av = getToken(sa, ca);
    bv = getToken(sb, cb);
  }
  if (av < bv) return -1;
  if (av > bv) return 1;
  if (sa.type === sb.type) return 0;
  // Equal so far: the longer version is newer unless what follows is a pre-release suffix.
  if (sa.type === T.suffix && getToken({ type: sa.type }, ca) < 0) return -1;
  if (sb.type === T.suffix && getToken({ type: sb.type }, cb) < 0) return 1;
  if (sa.type > sb.type) return -1;
  if (sb.type > sa.type) return 1;
  return 0;
}
