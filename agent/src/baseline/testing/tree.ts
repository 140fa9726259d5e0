// Hand-made host trees for the golden tests: a temp directory laid out like a Linux root
// (/etc, /proc/sys, /var/lib/dpkg …) that the root-prefixed HostView reads.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { policyDocumentSchema, type PolicyDocumentInput } from '@watchpost/proto';
import { evaluatePolicy } from '../evaluate.js';
import { createLinuxHost } from '../linux/host.js';
import type { CheckOutcome, PolicyOutcome } from '../types.js';

export type TreeEntry = string | { content: string; mode: number } | { symlink: string } | { dir: true };

export const BASE_TREE: Record<string, TreeEntry> = {
  '/etc/os-release': 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
  '/etc/passwd':
    'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n' +
    'toor:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/bash\nbob:x:1001:1001::/home/bob:/bin/bash\n',
  '/etc/shadow': {
    content:
      'root:$y$j9T$abcdefghijkl$secrethashsecrethash:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n' +
      'toor:!:19700::::::\nalice:$6$salt$anotherhashvalue:19700:0:99999:7:::\nbob::19700:0:99999:7:::\n',
    mode: 0o640,
  },
  '/etc/group': 'root:x:0:\nshadow:x:42:\nsudo:x:27:alice\nalice:x:1000:\nbob:x:1001:\n',
};

export function makeTree(entries: Record<string, TreeEntry>): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'wp-baseline-'));
  chmodSync(root, 0o755);
  for (const [path, entry] of Object.entries({ ...BASE_TREE, ...entries })) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    if (typeof entry === 'string') writeFileSync(full, entry);
    else if ('dir' in entry) mkdirSync(full, { recursive: true });
    else if ('symlink' in entry) symlinkSync(entry.symlink, full);
    else {
      writeFileSync(full, entry.content);
      chmodSync(full, entry.mode);
    }
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

type CheckInput = PolicyDocumentInput['checks'][number];
export type RuleInput = CheckInput['rules'][number];
export type FileRuleInput = Extract<RuleInput, { kind: 'file' }>;
export type TestInput = NonNullable<FileRuleInput['tests']>[number];

/** A minimal valid document around the given checks (rationale/remediation filled in). */
export function policy(
  checks: Array<Omit<CheckInput, 'title' | 'rationale' | 'remediation'> & Partial<CheckInput>>,
  extra: Partial<PolicyDocumentInput> = {},
): ReturnType<typeof policyDocumentSchema.parse> {
  return policyDocumentSchema.parse({
    id: 'golden',
    title: 'golden tests',
    version: '1',
    checks: checks.map((c) => ({ title: c.id, rationale: 'r', remediation: 'm', ...c })),
    ...extra,
  });
}

export async function evaluateTree(
  doc: ReturnType<typeof policyDocumentSchema.parse>,
  root: string,
  opts: { allowCommands?: boolean; activeUnits?: string[] } = {},
): Promise<PolicyOutcome> {
  const host = createLinuxHost({
    root,
    commandTimeoutMs: 5000,
    ...(opts.activeUnits ? { activeUnits: new Set(opts.activeUnits) } : {}),
  });
  return evaluatePolicy(doc, host, { allowCommands: opts.allowCommands ?? false });
}

/** check id → result, failing loudly when a check is missing from the outcome. */
export function byId(outcome: PolicyOutcome): (id: string) => CheckOutcome {
  const map = new Map(outcome.results.map((r) => [r.checkId, r]));
  return (id) => {
    const r = map.get(id);
    if (!r) throw new Error(`no result for check ${id}`);
    return r;
  };
}
