// file, directory and file_stat rules.
import type { PolicyRule } from '@watchpost/proto';
import type { HostDirEntry, HostStat, HostView } from '../host.js';
import { EVAL_LIMITS, REASONS, type Evidence, type RuleVerdict } from '../types.js';
import { evidence, safeLine } from './evidence.js';
import { compileTest, compileTests, findLine, matchableLine, type LineMatcher } from './lineTests.js';
import { errnoCode, readText } from './read.js';

type FileRule = Extract<PolicyRule, { kind: 'file' }>;
type DirectoryRule = Extract<PolicyRule, { kind: 'directory' }>;
type FileStatRule = Extract<PolicyRule, { kind: 'file_stat' }>;

function verdict(holds: boolean, negate: boolean, ev: Evidence[]): RuleVerdict {
  const state = holds !== negate ? 'true' : 'false';
  return { state, evidence: ev.map((e) => ({ ...e, matched: state === 'true' })) };
}

/** Content match of one file: the matching line, 'no' (missing or no line), or invalid. */
async function contentMatch(
  host: HostView,
  path: string,
  matchers: readonly LineMatcher[],
): Promise<{ line: string } | { none: string } | { invalid: string }> {
  const read = await readText(host, path);
  if (read.kind === 'missing') return { none: 'file not found' };
  if (read.kind === 'invalid') return { invalid: read.reason };
  const line = findLine(matchers, read.text);
  return line === undefined ? { none: 'no matching line' } : { line: safeLine(path, line) };
}

export async function evaluateFile(host: HostView, rule: FileRule, desc: string): Promise<RuleVerdict> {
  if (!rule.tests || rule.tests.length === 0) {
    try {
      const st = await host.stat(rule.path);
      return verdict(true, rule.negate, [evidence(desc, rule.path, `exists (${st.type})`, true)]);
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR')
        return verdict(false, rule.negate, [evidence(desc, rule.path, 'file not found', false)]);
      return { state: 'invalid', reason: REASONS.unreadable(code), evidence: [] };
    }
  }
  const matchers = compileTests(rule.tests);
  const m = await contentMatch(host, rule.path, matchers);
  if ('invalid' in m)
    return { state: 'invalid', reason: m.invalid, evidence: [evidence(desc, rule.path, m.invalid, false)] };
  const holds = 'line' in m;
  return verdict(holds, rule.negate, [evidence(desc, rule.path, 'line' in m ? m.line : m.none, holds)]);
}

/** Files (not directories) under `path`, depth-first, bounded. */
async function listFiles(
  host: HostView,
  path: string,
  recursive: boolean,
): Promise<
  { files: Array<{ path: string; entry: HostDirEntry }> } | { missing: true } | { invalid: string }
> {
  const files: Array<{ path: string; entry: HostDirEntry }> = [];
  const stack: Array<{ dir: string; depth: number }> = [{ dir: path, depth: 0 }];
  let visited = 0;
  while (stack.length > 0) {
    const { dir, depth } = stack.pop() as { dir: string; depth: number };
    let entries: HostDirEntry[];
    try {
      entries = await host.readdir(dir);
    } catch (err) {
      const code = errnoCode(err);
      if (dir !== path) continue; // a vanished or unreadable subdirectory: the rest still counts
      if (code === 'ENOENT' || code === 'ENOTDIR') return { missing: true };
      return { invalid: REASONS.unreadable(code) };
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (++visited > EVAL_LIMITS.maxDirEntries) return { files };
      const child = `${dir.replace(/\/+$/, '')}/${entry.name}`;
      if (entry.type === 'directory') {
        if (recursive && depth + 1 < EVAL_LIMITS.maxDirDepth) stack.push({ dir: child, depth: depth + 1 });
      } else files.push({ path: child, entry });
    }
  }
  return { files };
}

export async function evaluateDirectory(
  host: HostView,
  rule: DirectoryRule,
  desc: string,
): Promise<RuleVerdict> {
  const nameMatcher = rule.name ? compileTest(rule.name) : undefined;
  const matchers = rule.tests && rule.tests.length > 0 ? compileTests(rule.tests) : undefined;
  const listed = await listFiles(host, rule.path, rule.recursive);
  if ('missing' in listed)
    return verdict(false, rule.negate, [evidence(desc, rule.path, 'directory not found', false)]);
  if ('invalid' in listed) return { state: 'invalid', reason: listed.invalid, evidence: [] };
  let invalid: string | undefined;
  let candidates = 0;
  for (const { path, entry } of listed.files) {
    if (nameMatcher && !nameMatcher(matchableLine(entry.name))) continue;
    candidates++;
    if (!matchers) return verdict(true, rule.negate, [evidence(desc, path, 'entry found', true)]);
    const m = await contentMatch(host, path, matchers);
    if ('line' in m) return verdict(true, rule.negate, [evidence(desc, path, m.line, true)]);
    if ('invalid' in m) invalid ??= `${m.invalid} (${path})`;
  }
  if (invalid)
    return { state: 'invalid', reason: invalid, evidence: [evidence(desc, rule.path, invalid, false)] };
  const found = candidates === 0 ? 'no matching entry' : `no matching line in ${candidates} file(s)`;
  return verdict(false, rule.negate, [evidence(desc, rule.path, found, false)]);
}

export async function evaluateFileStat(
  host: HostView,
  rule: FileStatRule,
  desc: string,
): Promise<RuleVerdict> {
  let st: HostStat;
  try {
    st = rule.type === 'symlink' ? await host.lstat(rule.path) : await host.stat(rule.path);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR')
      return verdict(false, rule.negate, [evidence(desc, rule.path, 'file not found', false)]);
    return { state: 'invalid', reason: REASONS.unreadable(code), evidence: [] };
  }
  const { accounts, groups } = await host.accounts();
  const owner = accounts.find((a) => a.uid === st.uid)?.name ?? String(st.uid);
  const group = groups.find((g) => g.gid === st.gid)?.name ?? String(st.gid);
  const failures: string[] = [];
  if (rule.maxMode !== undefined) {
    const max = parseInt(rule.maxMode, 8);
    if ((st.mode & ~max & 0o7777) !== 0) failures.push(`mode more permissive than ${rule.maxMode}`);
  }
  if (rule.owner !== undefined && rule.owner !== owner && rule.owner !== String(st.uid))
    failures.push(`owner is not ${rule.owner}`);
  if (rule.group !== undefined && rule.group !== group && rule.group !== String(st.gid))
    failures.push(`group is not ${rule.group}`);
  if (rule.type !== undefined && rule.type !== st.type) failures.push(`type is not ${rule.type}`);
  const found = `mode ${st.mode.toString(8).padStart(4, '0')} owner ${owner} group ${group} type ${st.type}`;
  return verdict(failures.length === 0, rule.negate, [
    evidence(
      desc,
      rule.path,
      failures.length ? `${found} (${failures.join('; ')})` : found,
      failures.length === 0,
    ),
  ]);
}
