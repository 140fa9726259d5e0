// The Linux HostView against the REAL machine (root '/'): a handful of checks whose answers
// this test can know independently, and kinds whose answer depends on the host end in a sane
// status (never `error`).
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { after, before, test } from 'node:test';
import { evaluatePolicy } from './evaluate.js';
import { createLinuxHost } from './linux/host.js';
import { byId, policy } from './testing/tree.js';

let server: Server;
let port = 0;
before(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
after(() => server.close());

test('real host: known facts pass, host-dependent kinds end pass/fail/not_applicable', async () => {
  const doc = policy([
    {
      id: 'passwd-exists',
      rules: [{ kind: 'file', path: '/etc/passwd', tests: [{ type: 'regex', pattern: '^root:' }] }],
    },
    {
      id: 'passwd-mode',
      rules: [{ kind: 'file_stat', path: '/etc/passwd', maxMode: '0644', owner: 'root', type: 'file' }],
    },
    { id: 'root-uid0', rules: [{ kind: 'accounts', uid: 0, name: { type: 'regex', pattern: '^root$' } }] },
    {
      id: 'aslr',
      rules: [
        {
          kind: 'sysctl',
          key: 'kernel.randomize_va_space',
          tests: [{ type: 'numeric', pattern: '^(\\d+)$', op: 'ge', value: 0 }],
        },
      ],
    },
    {
      id: 'this-process',
      rules: [{ kind: 'process', tests: [{ type: 'regex', pattern: 'realHost\\.int\\.test' }] }],
    },
    // The listener this test opened itself.
    { id: 'listening', rules: [{ kind: 'port', port, protocol: 'tcp', address: '127.0.0.1' }] },
    {
      id: 'uname',
      rules: [{ kind: 'command', command: 'uname -s', tests: [{ type: 'regex', pattern: '^Linux$' }] }],
    },
    { id: 'module', rules: [{ kind: 'kernel_module', name: 'cramfs', negate: true }] },
    { id: 'service', rules: [{ kind: 'service', name: 'ssh', enabled: true }] },
    { id: 'shadow-empty', rules: [{ kind: 'accounts', emptyPassword: true, negate: true }] },
  ]);
  const host = createLinuxHost({ root: '/', commandTimeoutMs: 10_000 });
  const out = await evaluatePolicy(doc, host, { allowCommands: true });
  const get = byId(out);
  for (const id of ['passwd-exists', 'root-uid0', 'this-process', 'listening', 'uname'])
    assert.equal(get(id).status, 'pass', `${id}: ${JSON.stringify(get(id))}`);
  const mode = statSync('/etc/passwd').mode & 0o7777;
  assert.equal(get('passwd-mode').status, (mode & ~0o644) === 0 ? 'pass' : 'fail');
  const aslr = readFileSync('/proc/sys/kernel/randomize_va_space', 'utf8').trim();
  assert.equal(get('aslr').status, 'pass');
  assert.equal(get('aslr').evidence[0]?.found, aslr);
  for (const r of out.results)
    assert.ok(['pass', 'fail', 'not_applicable'].includes(r.status), JSON.stringify(r));
  for (const r of out.results.filter((x) => x.status === 'not_applicable')) assert.ok(r.reason.length > 0);
  assert.equal(out.errors, 0);
  // Some process whose command line names this file (this one, or a wrapper such as `timeout`):
  // the evidence shows its name and pid only, never the command line.
  assert.match(get('this-process').evidence[0]?.found ?? '', /^.{1,16} \(pid \d+\)$/);
});
