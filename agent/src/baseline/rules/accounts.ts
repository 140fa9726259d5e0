// accounts and groups rules. Only names and facts reach evidence — never a password hash.
import { watchpost, type PolicyRule } from '@watchpost/proto';
import type { HostView } from '../host.js';
import { REASONS, type RuleVerdict } from '../types.js';
import { evidence } from './evidence.js';
import { compileTest } from './lineTests.js';

type Rule<K extends PolicyRule['kind']> = Extract<PolicyRule, { kind: K }>;
const { PasswordState } = watchpost.v1;

function listed(names: string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}

function verdict(names: string[], negate: boolean, desc: string, target: string): RuleVerdict {
  const holds = names.length > 0;
  const state = holds !== negate ? 'true' : 'false';
  return { state, evidence: [evidence(desc, target, `matching: ${listed(names)}`, state === 'true')] };
}

export async function evaluateAccounts(
  host: HostView,
  rule: Rule<'accounts'>,
  desc: string,
): Promise<RuleVerdict> {
  const { accounts, shadowReadable } = await host.accounts();
  const shell = rule.shell ? compileTest(rule.shell) : undefined;
  const name = rule.name ? compileTest(rule.name) : undefined;
  const except = new Set(rule.except);
  const seen = { undecided: false };
  const matching = accounts.filter((a) => {
    if (except.has(a.name)) return false;
    if (rule.uid !== undefined && a.uid !== rule.uid) return false;
    if (shell && !shell(a.shell)) return false;
    if (name && !name(a.name)) return false;
    if (rule.emptyPassword !== undefined) {
      if (a.passwordState === PasswordState.PASSWORD_STATE_UNKNOWN) {
        seen.undecided = true;
        return false;
      }
      if ((a.passwordState === PasswordState.PASSWORD_STATE_EMPTY) !== rule.emptyPassword) return false;
    }
    return true;
  });
  // Without shadow the empty-password property cannot be decided: not a silent pass.
  if (seen.undecided && matching.length === 0) {
    const reason = REASONS.unreadable(shadowReadable ? 'EIO' : 'EACCES');
    return { state: 'invalid', reason, evidence: [evidence(desc, '/etc/shadow', reason, false)] };
  }
  return verdict(
    matching.map((a) => a.name),
    rule.negate,
    desc,
    '/etc/passwd',
  );
}

export async function evaluateGroups(
  host: HostView,
  rule: Rule<'groups'>,
  desc: string,
): Promise<RuleVerdict> {
  const { groups } = await host.accounts();
  const name = rule.name ? compileTest(rule.name) : undefined;
  const except = new Set(rule.except);
  const matching = groups.filter(
    (g) =>
      !except.has(g.name) &&
      (rule.gid === undefined || g.gid === rule.gid) &&
      (!name || name(g.name)) &&
      (rule.hasMembers === undefined || g.members.length > 0 === rule.hasMembers),
  );
  return verdict(
    matching.map((g) => g.name),
    rule.negate,
    desc,
    '/etc/group',
  );
}
