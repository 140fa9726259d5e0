// Wazuh OS_Regex → JavaScript RegExp source. SCA policies without `regex_type` are evaluated by
// OS_Regex (wm_sca.c compiles `r:`/`n:` with OS_RETURN_SUBSTRING and without OS_CASE_SENSITIVE,
// so matching is CASE-INSENSITIVE), which is NOT PCRE: only backslash escapes are special, `.`
// `*` `+` `?` `[` `{` are literal characters, `\.` is "any character", `\s` is a space only (tabs
// are `\t`), `^`/`$` anchor only at the start/end of each `|` alternative, and `(`…`)` is one level
// of capture. Translating it as if it were PCRE would silently change what CIS checks test.
export interface TranslatedRegex {
  /** JavaScript RegExp source (no flags; the caller sets ignoreCase). */
  source: string;
  /** Number of capture groups. */
  groups: number;
}

export class RegexTranslationError extends Error {}

/** OS_Regex escape classes (os_regex_maps.h) as JavaScript character classes. */
const ESCAPES: Record<string, string> = {
  d: '[0-9]',
  D: '[^0-9]',
  w: '[A-Za-z0-9@_-]',
  W: '[^A-Za-z0-9@_-]',
  s: ' ',
  S: '[^ ]',
  p: `[()*+,\\-.:;<=>?\\[\\]!"'#$%&|{}]`,
  '.': '[\\s\\S]',
  t: '\\t',
  $: '\\$',
  '(': '\\(',
  ')': '\\)',
  '\\': '\\\\',
  '|': '\\|',
  '<': '<',
};

const JS_SPECIAL = /[\\^$.*+?()[\]{}|/]/;

function literal(ch: string): string {
  return JS_SPECIAL.test(ch) ? `\\${ch}` : ch;
}

/** Splits on unescaped `|` (OS_Regex alternation is top-level only). */
function alternatives(pattern: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\' && i + 1 < pattern.length) {
      cur += ch + (pattern[i + 1] as string);
      i++;
    } else if (ch === '|') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function translateAlternative(alt: string, groups: { n: number }): string {
  let body = alt;
  let start = '';
  let end = '';
  if (body.startsWith('^')) {
    start = '^';
    body = body.slice(1);
  }
  // A trailing `$` anchors unless it is the escaped `\$` (an odd run of backslashes before it).
  if (body.endsWith('$')) {
    const slashes = /\\*$/.exec(body.slice(0, -1))?.[0].length ?? 0;
    if (slashes % 2 === 0) {
      end = '$';
      body = body.slice(0, -1);
    }
  }
  let out = '';
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch === '\\') {
      const next = body[i + 1];
      const cls = next === undefined ? undefined : ESCAPES[next];
      if (cls === undefined) throw new RegexTranslationError(`invalid OS_Regex escape \\${next ?? ''}`);
      out += cls;
      i++;
      // `+`/`*` are quantifiers only right after an escape class.
      const q = body[i + 1];
      if (q === '+' || q === '*') {
        out += q;
        i++;
      }
    } else if (ch === '(') {
      if (depth > 0) throw new RegexTranslationError('nested parentheses are not valid OS_Regex');
      depth++;
      groups.n++;
      out += '(';
    } else if (ch === ')') {
      if (depth === 0) throw new RegexTranslationError('unbalanced parenthesis');
      depth--;
      out += ')';
    } else out += literal(ch);
  }
  if (depth !== 0) throw new RegexTranslationError('unbalanced parenthesis');
  return start + out + end;
}

/** Translates one OS_Regex pattern; throws RegexTranslationError for what OS_Regex rejects too. */
export function translateOsRegex(pattern: string): TranslatedRegex {
  if (pattern.length === 0) throw new RegexTranslationError('empty pattern');
  const groups = { n: 0 };
  const alts = alternatives(pattern).map((a) => translateAlternative(a, groups));
  const source = alts.length === 1 ? (alts[0] as string) : alts.map((a) => `(?:${a})`).join('|');
  // The result must compile as JavaScript (it always should; this guards the translator).
  new RegExp(source, 'i');
  return { source, groups: groups.n };
}

/** Escapes a literal string for a JavaScript RegExp. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
