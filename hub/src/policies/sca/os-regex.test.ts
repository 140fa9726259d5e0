// OS_Regex → JavaScript: the semantics that differ from PCRE, each with a case that fails when
// the translation treats the pattern as PCRE.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegexTranslationError, translateOsRegex } from './os-regex.js';

/** Matches like the agent will: the translated source with ignoreCase (SCA r: is case-insensitive). */
const matches = (osRegex: string, line: string) =>
  new RegExp(translateOsRegex(osRegex).source, 'i').test(line);

test('matching is case-insensitive, like Wazuh OS_Regex without OS_CASE_SENSITIVE', () => {
  assert.equal(matches('PermitRootLogin\\s+no', 'permitrootlogin NO'), true);
});

test('a bare `.` is a literal dot and `\\.` is any character', () => {
  assert.equal(matches('12.', '12x'), false);
  assert.equal(matches('12.', '12.'), true);
  assert.equal(matches('12\\.', '12x'), true);
});

test('`.+` and `.*` are literal text, not wildcards (OS_Regex has no `.` metacharacter)', () => {
  assert.equal(matches('.+\\.rules$', 'audit.rules'), false);
  assert.equal(matches('.+\\.rules$', 'x.+yrules'), true);
  assert.equal(matches('^\\.*audit', 'xx audit'), true, '`\\.*` is any text');
  assert.equal(matches('^.*audit', 'xx audit'), false, 'a bare `.*` is the text ".*"');
});

test('`\\s` is a space only; tabs are `\\t`', () => {
  assert.equal(matches('a\\sb', 'a b'), true);
  assert.equal(matches('a\\sb', 'a\tb'), false);
  assert.equal(matches('a\\s*\\t*b', 'a \t\tb'), true);
});

test('`\\w` includes @ - _ and `\\p` is punctuation', () => {
  assert.equal(matches('^\\w+$', 'user@host-name_1'), true);
  assert.equal(matches('^\\w+$', 'a.b'), false);
  assert.equal(matches('^\\p+$', '()*+,-.:;<=>?[]!"\'#$%&|{}'), true);
});

test('`$` anchors only at the end of an alternative; elsewhere it is a literal', () => {
  assert.equal(matches('^.*$remote_addr', '.*$remote_addr'), true);
  assert.equal(matches('^.*$remote_addr', 'log_format main $remote_addr'), false);
  assert.equal(matches('abc$', 'abcd'), false);
  assert.equal(matches('abc\\$', 'abc$d'), true);
});

test('`|` splits alternatives, each with its own anchors', () => {
  assert.equal(matches('^enabled$|^active$', 'active'), true);
  assert.equal(matches('^enabled$|^active$', 'inactive'), false);
  assert.equal(matches('a\\|b', 'a|b'), true);
});

test('`+`/`*` quantify escapes only; after a literal they are literal', () => {
  assert.equal(matches('\\d+x', '123x'), true);
  assert.equal(matches('a+', 'aa'), false);
  assert.equal(matches('a+', 'a+'), true);
  assert.equal(matches('[abc]', 'b'), false, 'brackets are literal');
  assert.equal(matches('[abc]', '[abc]'), true);
});

test('one level of parentheses captures', () => {
  const t = translateOsRegex('^MaxAuthTries\\s+(\\d+)');
  assert.equal(t.groups, 1);
  assert.equal(new RegExp(t.source, 'i').exec('maxauthtries 6')?.[1], '6');
});

test('what OS_Regex itself rejects is refused, never guessed', () => {
  for (const bad of ['\\v', '\\[x', '((a))', '(a', 'a)', '(a|b)', '']) {
    assert.throws(() => translateOsRegex(bad), RegexTranslationError, bad);
  }
});
