// What a check examined, as drift keys can name it (paths, sysctl keys, packages, units…), and
// the finding source a policy's checks are reported under. Pure.
import { createHash } from 'node:crypto';
import type { PolicyCheck } from '@watchpost/proto';

const MAX_TARGETS = 64;

/** Targets named by the check's rules, plus those the agent's evidence says it examined. */
export function checkTargets(check: PolicyCheck | undefined, evidenceTargets: readonly string[]): string[] {
  const out = new Set<string>();
  for (const rule of check?.rules ?? []) {
    switch (rule.kind) {
      case 'file':
      case 'directory':
      case 'file_stat':
        out.add(rule.path);
        break;
      case 'sysctl':
        out.add(rule.key);
        break;
      case 'package':
      case 'service':
      case 'kernel_module':
        out.add(rule.name);
        break;
      case 'port':
        out.add(`${rule.protocol}/${rule.port}`);
        break;
      default:
        break;
    }
  }
  for (const t of evidenceTargets) if (t !== '') out.add(t);
  return [...out].slice(0, MAX_TARGETS);
}

/**
 * Does a drift key (see baseline.proto StateItem: path, "tcp/0.0.0.0:22", "name:arch", unit
 * name, sysctl key, module name) denote one of the targets? Ports compare protocol and number;
 * packages compare the name without the arch; units with or without ".service".
 */
export function driftKeyMatches(kind: string, key: string, targets: readonly string[]): boolean {
  const set = new Set(targets);
  switch (kind) {
    case 'file':
    case 'directory':
      return set.has(key) || targets.some((t) => t.endsWith('/') && key.startsWith(t));
    case 'package':
      return set.has(key) || set.has(key.split(':')[0] ?? key);
    case 'service':
      return set.has(key) || set.has(key.replace(/\.service$/, '')) || set.has(`${key}.service`);
    case 'port': {
      const m = /^(tcp|udp)\/.*:(\d+)$/.exec(key);
      return set.has(key) || (m !== null && set.has(`${m[1]}/${m[2]}`));
    }
    default:
      return set.has(key);
  }
}

/** Findings source of one policy's checks: resolving is scoped by it (max 64 chars). */
export function policySource(policyKey: string): string {
  const plain = `baseline:${policyKey}`;
  if (plain.length <= 64) return plain;
  return `baseline:${createHash('sha256').update(policyKey).digest('hex').slice(0, 40)}`;
}
