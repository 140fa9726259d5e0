// dpkg ordering against the real `dpkg --compare-versions` on versions drawn from real dpkg
// status databases (the shared fixtures and this machine's own) and on generated versions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { dpkgCompare, parseDpkgVersion } from './dpkg.js';

const fixtures = process.env['WATCHPOST_FIXTURES'] ?? '/work/shared/fixtures';
const hasDpkg = (() => {
  try {
    execFileSync('dpkg', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function statusFiles(): string[] {
  const dir = join(fixtures, 'dpkg');
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.startsWith('status-'))
        .map((f) => join(dir, f))
    : [];
  if (existsSync('/var/lib/dpkg/status')) files.push('/var/lib/dpkg/status');
  return files;
}

function versionsFrom(files: string[]): string[] {
  const set = new Set<string>();
  for (const f of files) {
    for (const m of readFileSync(f, 'utf8').matchAll(/^Version:\s*(\S+)\s*$/gm)) if (m[1]) set.add(m[1]);
  }
  return [...set];
}

/** Asks dpkg about many pairs in one shell process: one result (-1, 0, 1) per input line. */
function dpkgVerdicts(pairs: Array<[string, string]>): number[] {
  const script =
    'while read -r a b; do if dpkg --compare-versions "$a" lt "$b"; then echo -1; ' +
    'elif dpkg --compare-versions "$a" eq "$b"; then echo 0; else echo 1; fi; done';
  const out = execFileSync('sh', ['-c', script], {
    input: pairs.map(([a, b]) => `${a} ${b}\n`).join(''),
    maxBuffer: 16 * 1024 * 1024,
  });
  return out.toString().trim().split('\n').map(Number);
}

function assertAgreement(pairs: Array<[string, string]>): void {
  const verdicts = dpkgVerdicts(pairs);
  assert.equal(verdicts.length, pairs.length);
  const disagreements = pairs
    .map(([a, b], k) => ({ a, b, dpkg: verdicts[k], ours: dpkgCompare(a, b) }))
    .filter((r) => r.dpkg !== r.ours);
  assert.deepEqual(disagreements.slice(0, 10), []);
}

test('parseDpkgVersion splits epoch, upstream and revision', () => {
  assert.deepEqual(parseDpkgVersion('1:2.3-4-5'), { epoch: 1, upstream: '2.3-4', revision: '5' });
  assert.deepEqual(parseDpkgVersion('2.30'), { epoch: 0, upstream: '2.30', revision: '' });
  assert.deepEqual(parseDpkgVersion('1:2:3-1'), { epoch: 1, upstream: '2:3', revision: '1' });
});

test('deb-version(7) rules on hand-made cases', () => {
  const cases: Array<[string, string, -1 | 0 | 1]> = [
    ['1.0~rc1', '1.0', -1], // tilde sorts before the end
    ['1.0~~', '1.0~', -1],
    ['1.0~', '1.0', -1],
    ['1.0', '1.0+b1', -1], // non-letters after letters and after the end
    ['1.0a', '1.0+', -1], // letters before non-letters
    ['1.0', '1.0a', -1],
    ['1.10', '1.9', 1], // digit runs numeric
    ['1.010', '1.10', 0], // leading zeros ignored
    ['1:0.1', '9.9', 1], // epoch first
    ['0:1.0', '1.0', 0], // missing epoch is 0
    ['1.0-1', '1.0', 1], // empty revision below "1"
    ['1.0-0', '1.0', 0], // "0" revision equals an absent one
    ['2.36.1-8+deb11u1', '2.36.1-8+deb11u2', -1],
    ['1.2.3-1ubuntu0.1', '1.2.3-1', 1],
    ['3.0.11-1~deb12u2', '3.0.11-1', -1], // backport revision below the unstable one
    ['7.88.1-10+deb12u5', '7.88.1-10+deb12u12', -1],
  ];
  for (const [a, b, want] of cases) {
    assert.equal(dpkgCompare(a, b), want, `${a} vs ${b}`);
    assert.equal(dpkgCompare(b, a), 0 - want, `${b} vs ${a}`);
  }
});

test('agrees with dpkg --compare-versions on every version of the real status files', (t) => {
  if (!hasDpkg) return t.skip('dpkg not installed');
  const files = statusFiles();
  const versions = versionsFrom(files);
  if (versions.length < 50) return t.skip(`too few versions in ${files.join(', ') || 'no status file'}`);
  // Sorting with our comparator then checking each neighbour pair with dpkg proves the whole
  // order (every version is placed where dpkg puts it); random pairs add direct evidence.
  const sorted = [...versions].sort(dpkgCompare);
  const pairs: Array<[string, string]> = [];
  for (let k = 1; k < sorted.length; k++) pairs.push([sorted[k - 1] ?? '', sorted[k] ?? '']);
  const rand = fc.sample(fc.tuple(fc.constantFrom(...versions), fc.constantFrom(...versions)), {
    numRuns: 2500,
    seed: 42,
  });
  pairs.push(...rand);
  assertAgreement(pairs);
  t.diagnostic(`${versions.length} versions from ${files.length} files, ${pairs.length} pairs checked`);
});

test('agrees with dpkg --compare-versions on generated versions', (t) => {
  if (!hasDpkg) return t.skip('dpkg not installed');
  const alnum = fc.constantFrom(...'0123456789abzAZ'.split(''));
  const sep = fc.constantFrom('.', '+', '~', '-');
  const part = fc.array(fc.oneof({ weight: 4, arbitrary: alnum }, { weight: 1, arbitrary: sep }), {
    maxLength: 8,
  });
  const version = fc
    .record({
      epoch: fc.option(fc.nat(3), { nil: undefined }),
      lead: fc.constantFrom(...'0123456789'.split('')),
      upstream: part,
      revision: fc.option(fc.array(fc.constantFrom(...'019a+.~'.split('')), { minLength: 1, maxLength: 5 }), {
        nil: undefined,
      }),
    })
    .map(({ epoch, lead, upstream, revision }) => {
      const up = lead + upstream.join('');
      const rev = revision === undefined ? '' : `-${revision.join('')}`;
      // An upstream containing '-' needs a revision, or dpkg reads its tail as one.
      const safeUp = rev === '' ? up.replaceAll('-', '.') : up;
      return `${epoch === undefined ? '' : `${epoch}:`}${safeUp}${rev}`;
    });
  const pairs = fc.sample(fc.tuple(version, version), { numRuns: 1500, seed: 7 });
  // Near-equal pairs exercise the tie-breaking rules that random pairs rarely reach.
  pairs.push(...pairs.slice(0, 300).map(([a]): [string, string] => [a, `${a}~`]));
  pairs.push(...pairs.slice(0, 300).map(([a]): [string, string] => [a, `${a}0`]));
  assertAgreement(pairs);
});
