// Golden tests: process, package, sysctl, service, port, accounts, groups, kernel_module,
// command and unsupported rules on a hand-made tree.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { byId, evaluateTree, makeTree, policy, type TestInput } from './testing/tree.js';
import type { PolicyOutcome } from './types.js';

const DPKG_STATUS = [
  'Package: openssh-server',
  'Status: install ok installed',
  'Architecture: amd64',
  'Version: 1:9.2p1-2+deb12u3',
  '',
  'Package: telnet',
  'Status: deinstall ok config-files',
  'Architecture: amd64',
  'Version: 0.17+2.4-2',
  '',
  'Package: libfoo',
  'Status: install ok installed',
  'Architecture: amd64',
  'Version: 1.0~rc1-1',
  '',
].join('\n');

const TCP =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
  '   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1 0 100 0 0 10 0\n' +
  '   1: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2222 1 0 100 0 0 10 0\n';
const UDP =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n' +
  '   0: 00000000:007B 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3333 2 0 0\n';

const r = (pattern: string): TestInput => ({ type: 'regex', pattern });

describe('host state rules', () => {
  let tree: ReturnType<typeof makeTree>;
  let out: PolicyOutcome;
  let withCommands: PolicyOutcome;
  let activeKnown: PolicyOutcome;
  before(async () => {
    tree = makeTree({
      '/proc/101/comm': 'sshd\n',
      '/proc/101/cmdline': 'sshd: /usr/sbin/sshd -D --password=hunter2\0',
      '/proc/102/comm': 'cron\n',
      '/proc/102/cmdline': '/usr/sbin/cron\0-f\0',
      '/var/lib/dpkg/status': DPKG_STATUS,
      '/proc/sys/net/ipv4/ip_forward': '0\n',
      '/proc/sys/kernel/randomize_va_space': '2\n',
      '/lib/systemd/system/ssh.service': '[Unit]\n',
      '/etc/systemd/system/multi-user.target.wants/ssh.service': {
        symlink: '/lib/systemd/system/ssh.service',
      },
      '/lib/systemd/system/avahi-daemon.service': '[Unit]\n',
      '/etc/systemd/system/avahi-daemon.service': { symlink: '/dev/null' },
      '/proc/net/tcp': TCP,
      '/proc/net/udp': UDP,
      '/proc/modules': 'cramfs 16384 0 - Live 0x0000000000000000\nusb_storage 81920 0 - Live 0x0\n',
    });
    const doc = policy([
      { id: 'proc-sshd', rules: [{ kind: 'process', tests: [r('^sshd$')] }] },
      { id: 'proc-cmdline', rules: [{ kind: 'process', tests: [r('/usr/sbin/cron -f')] }] },
      { id: 'proc-telnetd-absent', rules: [{ kind: 'process', tests: [r('telnetd')], negate: true }] },
      { id: 'pkg-installed', rules: [{ kind: 'package', name: 'openssh-server' }] },
      { id: 'pkg-config-files-only', rules: [{ kind: 'package', name: 'telnet' }] },
      {
        id: 'pkg-lt',
        rules: [
          { kind: 'package', name: 'openssh-server', version: { op: 'lt', value: '1:9.2p1-2+deb12u4' } },
        ],
      },
      {
        id: 'pkg-ge',
        rules: [
          { kind: 'package', name: 'openssh-server', version: { op: 'ge', value: '1:9.2p1-2+deb12u4' } },
        ],
      },
      {
        id: 'pkg-epoch',
        rules: [{ kind: 'package', name: 'openssh-server', version: { op: 'gt', value: '9.9' } }],
      },
      {
        id: 'pkg-tilde',
        rules: [{ kind: 'package', name: 'libfoo', version: { op: 'lt', value: '1.0-1' } }],
      },
      { id: 'sysctl-value', rules: [{ kind: 'sysctl', key: 'net.ipv4.ip_forward', tests: [r('^0$')] }] },
      {
        id: 'sysctl-output-form',
        rules: [
          { kind: 'sysctl', key: 'net.ipv4.ip_forward', tests: [r('^net.ipv4.ip_forward\\s*=\\s*0$')] },
        ],
      },
      {
        id: 'sysctl-numeric',
        rules: [
          {
            kind: 'sysctl',
            key: 'kernel.randomize_va_space',
            tests: [{ type: 'numeric', pattern: '^(\\d+)$', op: 'ge', value: 2 }],
          },
        ],
      },
      {
        id: 'sysctl-missing',
        rules: [{ kind: 'sysctl', key: 'net.ipv6.conf.all.forwarding', tests: [r('^0$')] }],
      },
      { id: 'svc-enabled', rules: [{ kind: 'service', name: 'ssh', enabled: true }] },
      { id: 'svc-masked', rules: [{ kind: 'service', name: 'avahi-daemon', enabled: false }] },
      { id: 'svc-absent', rules: [{ kind: 'service', name: 'telnet.socket', enabled: true }] },
      { id: 'svc-active', rules: [{ kind: 'service', name: 'ssh', active: true }] },
      { id: 'port-22', rules: [{ kind: 'port', port: 22 }] },
      { id: 'port-23-absent', rules: [{ kind: 'port', port: 23, negate: true }] },
      { id: 'port-631-any', rules: [{ kind: 'port', port: 631, address: '0.0.0.0' }] },
      { id: 'port-631-lo', rules: [{ kind: 'port', port: 631, address: '127.0.0.1' }] },
      { id: 'port-udp-123', rules: [{ kind: 'port', port: 123, protocol: 'udp' }] },
      { id: 'uid0-only-root', rules: [{ kind: 'accounts', uid: 0, except: ['root'], negate: true }] },
      { id: 'no-empty-passwords', rules: [{ kind: 'accounts', emptyPassword: true, negate: true }] },
      { id: 'login-shell-daemon', rules: [{ kind: 'accounts', name: r('^daemon$'), shell: r('nologin$') }] },
      { id: 'gid0-only-root', rules: [{ kind: 'groups', gid: 0, except: ['root'], negate: true }] },
      { id: 'sudo-has-members', rules: [{ kind: 'groups', name: r('^sudo$'), hasMembers: true }] },
      { id: 'mod-usb-storage', rules: [{ kind: 'kernel_module', name: 'usb-storage' }] },
      { id: 'mod-squashfs', rules: [{ kind: 'kernel_module', name: 'squashfs' }] },
      {
        id: 'cmd-echo',
        rules: [{ kind: 'command', command: 'echo "hello  world"', tests: [r('^hello  world$')] }],
      },
      {
        id: 'cmd-shell',
        rules: [{ kind: 'command', command: 'cat /etc/passwd | grep root', tests: [r('root')] }],
      },
      { id: 'cmd-missing', rules: [{ kind: 'command', command: '/nonexistent/tool --x' }] },
      { id: 'cmd-false', rules: [{ kind: 'command', command: 'false' }] },
      {
        id: 'unsupported',
        rules: [
          { kind: 'unsupported', source: 'r:HKEY_LOCAL_MACHINE\\X', reason: 'registry rules need Windows' },
        ],
      },
    ]);
    out = await evaluateTree(doc, tree.root);
    withCommands = await evaluateTree(doc, tree.root, { allowCommands: true });
    activeKnown = await evaluateTree(doc, tree.root, { activeUnits: ['ssh.service'] });
  });
  after(() => tree.cleanup());

  const expectStatus: Array<[string, string]> = [
    ['proc-sshd', 'pass'],
    ['proc-cmdline', 'pass'],
    ['proc-telnetd-absent', 'pass'],
    ['pkg-installed', 'pass'],
    ['pkg-config-files-only', 'fail'],
    ['pkg-lt', 'pass'],
    ['pkg-ge', 'fail'],
    ['pkg-epoch', 'pass'],
    ['pkg-tilde', 'pass'],
    ['sysctl-value', 'pass'],
    ['sysctl-output-form', 'pass'],
    ['sysctl-numeric', 'pass'],
    ['sysctl-missing', 'fail'],
    ['svc-enabled', 'pass'],
    ['svc-masked', 'pass'],
    ['svc-absent', 'fail'],
    ['svc-active', 'not_applicable'],
    ['port-22', 'pass'],
    ['port-23-absent', 'pass'],
    ['port-631-any', 'fail'],
    ['port-631-lo', 'pass'],
    ['port-udp-123', 'pass'],
    ['uid0-only-root', 'fail'],
    ['no-empty-passwords', 'fail'],
    ['login-shell-daemon', 'pass'],
    ['gid0-only-root', 'pass'],
    ['sudo-has-members', 'pass'],
    ['mod-usb-storage', 'pass'],
    ['mod-squashfs', 'fail'],
    ['cmd-echo', 'not_applicable'],
    ['unsupported', 'not_applicable'],
  ];
  for (const [id, status] of expectStatus)
    test(`${id} → ${status}`, () =>
      assert.equal(byId(out)(id).status, status, JSON.stringify(byId(out)(id))));

  test('stable reasons for what cannot be evaluated', () => {
    const get = byId(out);
    assert.equal(get('cmd-echo').reason, 'commands disabled on this agent');
    assert.equal(get('unsupported').reason, 'unsupported rule: registry rules need Windows');
    assert.equal(get('svc-active').reason, 'service state unknown: systemd is not running');
  });

  test('evidence: process name only, account names only, no hashes', () => {
    const get = byId(out);
    assert.equal(get('proc-sshd').evidence[0]?.found, 'sshd (pid 101)');
    assert.equal(get('uid0-only-root').evidence[0]?.found, 'matching: toor');
    assert.equal(get('no-empty-passwords').evidence[0]?.found, 'matching: bob');
    assert.equal(get('svc-masked').evidence[0]?.found, 'installed, masked');
    const text = JSON.stringify(out);
    for (const secret of ['hunter2', 'secrethash', 'anotherhash', '$y$', '$6$'])
      assert.ok(!text.includes(secret), secret);
  });

  test('commands run only when allowed, without a shell', () => {
    const get = byId(withCommands);
    assert.equal(get('cmd-echo').status, 'pass');
    assert.equal(get('cmd-echo').evidence[0]?.found, 'hello  world');
    assert.equal(get('cmd-shell').status, 'not_applicable');
    assert.match(get('cmd-shell').reason, /^unsupported rule: command needs a shell/);
    assert.equal(get('cmd-missing').status, 'not_applicable');
    assert.equal(get('cmd-missing').reason, 'command not found: /nonexistent/tool');
    assert.equal(get('cmd-false').status, 'fail');
  });

  test('service active state from the test hook when root is not /', () => {
    assert.equal(byId(activeKnown)('svc-active').status, 'pass');
  });
});
