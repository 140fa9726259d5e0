// Pure parts of drift: snapshot diffing, coalescing, redaction, diffs, chunking, cron, specs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { policyDocumentSchema } from '@watchpost/proto';
import { Coalescer, type Burst, type Timers } from './coalesce.js';
import { compareSnapshots } from './compare.js';
import { fileDiff, MAX_DIFF_BYTES } from './diff.js';
import { redactLine, redactPatch, SecretMatcher } from './redact.js';
import { chunkBy } from './report.js';
import { parseCronLines, parseProcModules } from './stateParse.js';
import { canonicalJson, itemId, makeItem, stored, type Item } from './types.js';
import { mergeWatchSpecs, specDigest } from './watchSpec.js';

const map = (items: Item[]): Map<string, Item> => new Map(items.map((i) => [itemId(i.kind, i.key), i]));

test('compareSnapshots: added, removed, modified; uncovered kinds and mtime-only changes are not drift', () => {
  const a = makeItem('file', '/etc/a', { sha256: '1', mtimeMs: 1 }, { volatile: ['mtimeMs'] });
  const aTouched = makeItem('file', '/etc/a', { sha256: '1', mtimeMs: 2 }, { volatile: ['mtimeMs'] });
  const b = makeItem('file', '/etc/b', { sha256: '2' });
  const b2 = makeItem('file', '/etc/b', { sha256: '3' });
  const c = makeItem('file', '/etc/c', { sha256: '4' });
  const svc = makeItem('service', 'ssh', { running: true });
  assert.equal(aTouched.digest, a.digest);
  assert.notEqual(aTouched.valueJson, a.valueJson);
  const before = new Map([...map([a, b, svc])].map(([k, v]) => [k, stored(v)]));
  const changes = compareSnapshots(before, map([aTouched, b2, c]), { kinds: new Set(['file']) });
  assert.deepEqual(
    changes.map((ch) => [ch.change, ch.key]),
    [
      ['modified', '/etc/b'],
      ['added', '/etc/c'],
    ],
  );
  // The service collector failed this time (not covered): no REMOVED for ssh.
  const all = compareSnapshots(before, map([a]), { kinds: new Set(['file', 'service']) });
  assert.deepEqual(
    all.map((ch) => [ch.change, ch.key]),
    [
      ['removed', '/etc/b'],
      ['removed', 'ssh'],
    ],
  );
  // A partial rescan of /etc/a covers only that prefix.
  const partial = compareSnapshots(before, map([]), { kinds: new Set(['file']), keyPrefixes: ['/etc/a'] });
  assert.deepEqual(
    partial.map((ch) => [ch.change, ch.key]),
    [['removed', '/etc/a']],
  );
  // "/etc/ab" is not under "/etc/a".
  const ab = stored(makeItem('file', '/etc/ab', { sha256: '5' }));
  assert.deepEqual(
    compareSnapshots(new Map([['x', ab]]), new Map(), { kinds: new Set(['file']), keyPrefixes: ['/etc/a'] }),
    [],
  );
});

function fakeClock(): { now: () => number; timers: Timers; advance: (ms: number) => void } {
  let t = 1000;
  let pending: Array<{ at: number; fn: () => void; id: number }> = [];
  let ids = 0;
  return {
    now: () => t,
    timers: {
      set: (fn, ms) => {
        pending.push({ at: t + ms, fn, id: ++ids });
        return ids;
      },
      clear: (h) => {
        pending = pending.filter((p) => p.id !== h);
      },
    },
    advance: (ms) => {
      const end = t + ms;
      for (;;) {
        const next = pending.filter((p) => p.at <= end).sort((x, y) => x.at - y.at)[0];
        if (!next) break;
        pending = pending.filter((p) => p !== next);
        t = next.at;
        next.fn();
      }
      t = end;
    },
  };
}

test('Coalescer: a burst becomes one flush with count, first and last seen; quiet keys flush separately', () => {
  const clock = fakeClock();
  const flushed: Burst[][] = [];
  let overflows = 0;
  const c = new Coalescer({
    quietMs: 100,
    maxWaitMs: 1000,
    maxPending: 2,
    sameEventMs: 5,
    now: clock.now,
    timers: clock.timers,
    onFlush: (b) => flushed.push(b),
    onOverflow: () => overflows++,
  });
  for (let i = 0; i < 20; i++) {
    c.record('/etc/a');
    clock.advance(2); // same save: not counted again
    c.record('/etc/a');
    clock.advance(18);
  }
  assert.equal(flushed.length, 0);
  clock.advance(100);
  assert.deepEqual(flushed, [[{ key: '/etc/a', count: 20, firstSeenMs: 1000, lastSeenMs: 1382 }]]);
  // maxWait: a key rewritten forever still flushes.
  for (let i = 0; i < 30; i++) {
    c.record('/etc/b');
    clock.advance(50);
  }
  assert.equal(flushed.length, 2);
  assert.equal(flushed[1]?.[0]?.key, '/etc/b');
  assert.equal(flushed[1]?.[0]?.count, 20);
  // Bounded: a third distinct pending key asks for a full scan instead.
  c.drain();
  c.record('/x');
  c.record('/y');
  c.record('/z');
  assert.equal(overflows, 1);
  assert.deepEqual(
    c.drain().map((b) => b.key),
    ['/x', '/y'],
  );
});

test('redactLine: secret-looking values go, ordinary settings stay', () => {
  assert.equal(redactLine('password = hunter2'), 'password = <redacted>');
  assert.equal(redactLine('  db_password: "x y"'), '  db_password: <redacted>');
  assert.equal(redactLine('API_KEY=abc'), 'API_KEY=<redacted>');
  assert.equal(redactLine('secret_token=abc'), 'secret_token=<redacted>');
  assert.equal(redactLine('requirepass foobared'), 'requirepass <redacted>');
  assert.equal(redactLine('url = postgres://app:pw@db/x'), 'url = postgres://app:<redacted>@db/x');
  assert.equal(redactLine('PasswordAuthentication no'), 'PasswordAuthentication no');
  assert.equal(redactLine('PubkeyAuthentication=yes'), 'PubkeyAuthentication=yes');
  assert.equal(redactLine('password_min_length = 8'), 'password_min_length = 8');
  assert.equal(redactLine('listen = 80'), 'listen = 80');
  assert.equal(redactLine('# password = old-one'), '# password = <redacted>');
  assert.equal(redactLine('export DB_PASSWORD=x'), 'export DB_PASSWORD=<redacted>');
});

test('fileDiff: unified, redacted, /dev/null for added files, nothing without text, bounded', () => {
  const d = fileDiff('/etc/app.conf', 'a = 1\npassword = old\n', 'a = 2\npassword = new\n', {
    before: true,
    after: true,
  });
  assert.match(d, /^--- a\/etc\/app.conf$/m);
  assert.match(d, /^-a = 1$/m);
  assert.match(d, /^\+a = 2$/m);
  assert.match(d, /^-password = <redacted>$/m);
  assert.doesNotMatch(d, /old|new/);
  assert.match(fileDiff('/x', undefined, 'k = v\n', { before: false, after: true }), /^--- \/dev\/null$/m);
  assert.equal(fileDiff('/x', undefined, 'k = v\n', { before: true, after: true }), '', 'before was binary');
  assert.equal(fileDiff('/x', 'same\n', 'same\n', { before: true, after: true }), '');
  const big = fileDiff('/x', '', 'line\n'.repeat(20_000), { before: true, after: true });
  assert.ok(Buffer.byteLength(big) <= MAX_DIFF_BYTES + 64);
  assert.match(big, /diff truncated/);
  // Header lines are not redacted, a removed "-- key = v" content line is.
  assert.match(
    redactPatch('--- a/x\n+++ b/x\n@@ -1 +1 @@\n--- token = abc\n+x'),
    /^--- token = <redacted>$/m,
  );
});

test('SecretMatcher: built-in secret files and policy globs; public keys are not secret', () => {
  const m = new SecretMatcher(['/etc/app/*.secret', '*.p12']);
  for (const p of [
    '/etc/shadow',
    '/etc/gshadow',
    '/etc/ssh/ssh_host_ed25519_key',
    '/root/.ssh/id_rsa',
    '/etc/ssl/private/x.key',
    '/etc/app/db.secret',
    '/a/b/c.p12',
  ])
    assert.equal(m.isSecretPath(p), true, p);
  for (const p of [
    '/etc/passwd',
    '/etc/ssh/ssh_host_ed25519_key.pub',
    '/root/.ssh/id_rsa.pub',
    '/etc/app/sub/db.secret',
    '/etc/keys.conf',
  ])
    assert.equal(m.isSecretPath(p), false, p);
});

test('chunkBy: by count and by size, never empty chunks', () => {
  const values = Array.from({ length: 4500 }, (_, i) => i);
  assert.deepEqual(
    chunkBy(values, 2000, Infinity, () => 1).map((c) => c.length),
    [2000, 2000, 500],
  );
  assert.deepEqual(
    chunkBy([5, 5, 5, 20, 1], 10, 10, (v) => v),
    [[5, 5], [5], [20], [1]],
  );
  assert.deepEqual(
    chunkBy([], 10, 10, () => 1),
    [],
  );
});

test('parseCronLines / parseProcModules', () => {
  const lines = parseCronLines(
    '/etc/crontab',
    'SHELL=/bin/sh\n# comment\n\n17 *  * * * root  run\n17 * * * * root run\n',
  );
  assert.deepEqual(
    lines.map((l) => [l.key, l.lineNo]),
    [
      ['/etc/crontab:SHELL=/bin/sh', 1],
      ['/etc/crontab:17 * * * * root run', 4],
      ['/etc/crontab:17 * * * * root run#2', 5],
    ],
  );
  const [nul] = parseCronLines('/etc/cron.d/x', '* * * * * root a\u0000b\n');
  assert.equal(nul?.line, '* * * * * root a b', 'control characters never reach the hub');
  const secrets = parseCronLines(
    '/etc/cron.d/backup',
    [
      'DB_PASSWORD=hunter2',
      '0 3 * * * root MYSQL_PWD=s3cr3t mysqldump -uroot -phunter2 db',
      '0 4 * * * root curl -s https://bob:pw@127.0.0.1/x --api-key abc --token=xyz',
      '0 5 * * * root run -p 8080',
    ].join('\n'),
  );
  assert.deepEqual(
    secrets.map((l) => l.line),
    [
      'DB_PASSWORD=<redacted>',
      '0 3 * * * root MYSQL_PWD=<redacted> mysqldump -uroot -p<redacted> db',
      '0 4 * * * root curl -s https://bob:<redacted>@127.0.0.1/x --api-key <redacted> --token=<redacted>',
      '0 5 * * * root run -p 8080',
    ],
  );
  assert.ok(
    secrets.every((l) => !/hunter2|s3cr3t|xyz|abc|:pw@/.test(l.key)),
    'keys carry no secret',
  );
  assert.deepEqual(parseProcModules('nf_tables 1 0 - Live 0x0\next4 2 1 jbd2, Live 0x0\n\n'), [
    'ext4',
    'nf_tables',
  ]);
});

test('mergeWatchSpecs: union of watch blocks, realtime paths scanned too, sysctl keys from rules', () => {
  const base = {
    title: 't',
    version: '1',
    checks: [
      {
        id: 'c',
        title: 't',
        rationale: 'r',
        remediation: 'm',
        rules: [{ kind: 'sysctl', key: 'vm.swappiness', tests: [] }],
      },
    ],
  };
  const a = policyDocumentSchema.parse({
    ...base,
    id: 'a',
    watch: { paths: ['/etc/ssh/'], state: ['sysctl'], intervalS: 600 },
  });
  const b = policyDocumentSchema.parse({
    ...base,
    id: 'b',
    watch: { realtime: ['/etc/sudoers', '../x'], secrets: ['*.pem'], state: ['cron'] },
  });
  const none = policyDocumentSchema.parse({ ...base, id: 'c' });
  assert.equal(mergeWatchSpecs([none]), undefined);
  const spec = mergeWatchSpecs([a, b, none]);
  assert.ok(spec);
  assert.deepEqual(spec.paths, ['/etc/ssh', '/etc/sudoers']);
  assert.deepEqual(spec.realtime, ['/etc/sudoers']);
  assert.deepEqual([...spec.state], ['cron', 'sysctl']);
  assert.equal(spec.intervalS, 600);
  assert.ok(
    spec.sysctlKeys.includes('vm.swappiness') && spec.sysctlKeys.includes('kernel.randomize_va_space'),
  );
  assert.notEqual(specDigest(spec), specDigest(mergeWatchSpecs([a]) ?? spec));
});

test('canonicalJson: keys sorted at every level, so equal values have equal digests', () => {
  assert.equal(canonicalJson({ b: 1, a: [2, 1] }), '{"a":[2,1],"b":1}');
  assert.equal(canonicalJson({ b: { d: 1, c: 2 }, a: null }), '{"a":null,"b":{"c":2,"d":1}}');
  assert.equal(makeItem('user', 'x', { b: 1, a: 2 }).digest, makeItem('user', 'x', { a: 2, b: 1 }).digest);
});
