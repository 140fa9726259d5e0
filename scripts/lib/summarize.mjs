// Adds up the node:test TAP summaries and the one-test checks of a scripts/test run, prints the
// total line alone on its line, and exits non-zero on any failure.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
let passed = 0,
  failed = 0,
  skipped = 0;
const rows = [];
for (const line of readFileSync(join(dir, 'checks'), 'utf8').split('\n').filter(Boolean)) {
  const [status, ...name] = line.split(' ');
  if (status === 'pass') passed++;
  else failed++;
  rows.push(`${status === 'pass' ? 'ok  ' : 'FAIL'} check ${name.join(' ')}`);
}
for (const f of readdirSync(dir)
  .filter((f) => f.endsWith('.tap'))
  .sort()) {
  const name = f.replace(/\.tap$/, '');
  const tap = readFileSync(join(dir, f), 'utf8');
  // The runner's closing summary: "# pass N", "# fail N", … (last occurrence wins).
  const count = (k) => {
    const all = [...tap.matchAll(new RegExp(`^# ${k} (\\d+)$`, 'gm'))];
    return all.length ? Number(all[all.length - 1][1]) : 0;
  };
  const s = {
    pass: count('pass'),
    fail: count('fail'),
    cancelled: count('cancelled'),
    skipped: count('skipped'),
    todo: count('todo'),
  };
  const exitFile = join(dir, `${name}.exit`);
  const exit = existsSync(exitFile) ? readFileSync(exitFile, 'utf8').trim() : 'exit ?';
  let suiteFailed = s.fail + s.cancelled;
  // A runner that died without failing a test (crash, syntax error) still fails the suite.
  if (exit !== 'exit 0' && suiteFailed === 0) suiteFailed = 1;
  passed += s.pass;
  failed += suiteFailed;
  skipped += s.skipped + s.todo;
  rows.push(
    `${suiteFailed ? 'FAIL' : 'ok  '} suite ${name}: ${s.pass} passed, ${suiteFailed} failed, ${s.skipped + s.todo} skipped (${exit})`,
  );
}
// Vitest suites: its JSON report (numPassedTests, …); a run that wrote no report failed.
for (const f of readdirSync(dir)
  .filter((f) => f.endsWith('.vitest.exit'))
  .sort()) {
  const name = f.replace(/\.vitest\.exit$/, '');
  const exit = readFileSync(join(dir, f), 'utf8').trim();
  const reportFile = join(dir, `${name}.vitest.json`);
  const r = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : null;
  const pass = r?.numPassedTests ?? 0;
  const skip = (r?.numPendingTests ?? 0) + (r?.numTodoTests ?? 0);
  let fail = r?.numFailedTests ?? 0;
  if (exit !== 'exit 0' && fail === 0) fail = 1;
  passed += pass;
  failed += fail;
  skipped += skip;
  rows.push(
    `${fail ? 'FAIL' : 'ok  '} suite ${name} (vitest): ${pass} passed, ${fail} failed, ${skip} skipped (${exit})`,
  );
}
console.log('\n== summary');
for (const r of rows) console.log(r);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
