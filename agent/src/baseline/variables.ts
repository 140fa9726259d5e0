// `$variables` of a policy document. A string value is substituted in place; a list value turns
// the rule into one rule per value. How the expansions combine follows SCA, where `f:$files`
// checks every listed file: the (un-negated) rule holds when it holds for ANY value, and a
// negated rule therefore holds only when NONE does (see combineExpansions in evaluate.ts).
import type { PolicyRule } from '@watchpost/proto';

const MAX_EXPANSIONS = 64;

function normalize(variables: Record<string, string | string[]>): Array<[string, string | string[]]> {
  return Object.entries(variables)
    .map(([k, v]): [string, string | string[]] => [k.startsWith('$') ? k : `$${k}`, v])
    .sort((a, b) => b[0].length - a[0].length); // $sshd_file_x before $sshd_file
}

function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  return value;
}

function containsName(value: unknown, name: string): boolean {
  if (typeof value === 'string') return value.includes(name);
  if (Array.isArray(value)) return value.some((v) => containsName(v, name));
  if (value && typeof value === 'object') return Object.values(value).some((v) => containsName(v, name));
  return false;
}

/** The rule with variables substituted; several rules when a list variable is used. */
export function expandRule(rule: PolicyRule, variables: Record<string, string | string[]>): PolicyRule[] {
  const vars = normalize(variables);
  if (vars.length === 0) return [rule];
  let rules: PolicyRule[] = [rule];
  for (const [name, value] of vars) {
    const next: PolicyRule[] = [];
    for (const r of rules) {
      if (!containsName(r, name)) {
        next.push(r);
        continue;
      }
      for (const v of Array.isArray(value) ? value : [value]) {
        if (next.length >= MAX_EXPANSIONS) break;
        next.push(mapStrings(r, (s) => s.split(name).join(v)) as PolicyRule);
      }
    }
    rules = next;
  }
  return rules;
}
