// The "unreadable file" golden test evaluates in a child process running as an unprivileged
// user (root reads everything). This is the child's half: a fixed policy, results as JSON.
import { byId, evaluateTree, policy } from './tree.js';

export const UNREADABLE_CHECK_IDS = ['sshd', 'empty-passwords', 'passwd'] as const;

export async function printUnreadableResults(root: string): Promise<void> {
  const doc = policy([
    {
      id: 'sshd',
      rules: [
        {
          kind: 'file',
          path: '/etc/ssh/sshd_config',
          tests: [{ type: 'regex', pattern: '^PermitRootLogin\\s+no' }],
        },
      ],
    },
    { id: 'empty-passwords', rules: [{ kind: 'accounts', emptyPassword: true, negate: true }] },
    { id: 'passwd', rules: [{ kind: 'file', path: '/etc/passwd' }] },
  ]);
  const get = byId(await evaluateTree(doc, root));
  const results = Object.fromEntries(
    UNREADABLE_CHECK_IDS.map((id) => [id, { status: get(id).status, reason: get(id).reason }]),
  );
  process.stdout.write(JSON.stringify(results));
}
