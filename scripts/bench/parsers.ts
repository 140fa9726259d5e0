// Parser benchmark: the agent's dpkg status parser on the real status files in the fixtures,
// next to a baseline that only splits the same text into stanzas and lines (the least any parser
// must do), in the same process. Prints figures; asserts nothing.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseDpkgStatus } from '../../agent/src/collectors/dpkg/parse.js';
import { repoRoot } from '../../tests/e2e/lib/harness.js';

const fixtures = process.env.WATCHPOST_FIXTURES ?? join(repoRoot, '..', 'shared', 'fixtures');
const files = ['dpkg/status-this-machine', 'dpkg/status-osv-scalibr-valid', '/var/lib/dpkg/status'].map(
  (f) => (f.startsWith('/') ? f : join(fixtures, f)),
);

function timeIt(rounds: number, fn: () => number): { msPerRun: number; result: number } {
  let result = 0;
  for (let i = 0; i < 5; i++) result = fn(); // warm up
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) result = fn();
  return { msPerRun: (performance.now() - t0) / rounds, result };
}

console.log('| status file | bytes | packages | parse ms | split-only baseline ms | ratio |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const file of files) {
  if (!existsSync(file)) {
    console.log(`| ${file} | skipped: not present | | | | |`);
    continue;
  }
  const text = readFileSync(file, 'utf8');
  const parse = timeIt(50, () => parseDpkgStatus(text).length);
  const split = timeIt(50, () => text.split('\n\n').reduce((n, s) => n + s.split('\n').length, 0));
  console.log(
    `| ${file.replace(fixtures + '/', 'fixtures/')} | ${text.length.toLocaleString('en-US')} | ${parse.result} | ${parse.msPerRun.toFixed(2)} | ${split.msPerRun.toFixed(2)} | ${(parse.msPerRun / split.msPerRun).toFixed(1)} |`,
  );
}
