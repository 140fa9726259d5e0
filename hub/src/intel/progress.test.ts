// CLI progress: plain lines when not a TTY (throttled to one per 5 s or per 10 %), a redrawn bar
// on a TTY.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ImportProgress } from './importer.js';
import { formatProgress, progressPrinter } from './progress.js';

const at = (bytesRead: number, records: number): ImportProgress => ({
  bytesRead,
  bytesTotal: 1000,
  records,
  counts: { new: records, updated: 0, unchanged: 0, failed: 0 },
});

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const out = { isTTY, columns: 300, write: (s: string) => chunks.push(s) > 0 };
  return { out: out as unknown as NodeJS.WriteStream, chunks };
}

describe('intel import progress', () => {
  test('formats percent, bytes, records/s and counts', () => {
    const line = formatProgress('kev.json', at(500, 200), 2000);
    assert.match(line, /^kev\.json {2}50% /);
    assert.match(line, / 200 records 100\/s new 200 /);
  });

  test('non-TTY: one line per 10 % or 5 s, never a carriage return', () => {
    let now = 0;
    const { out, chunks } = sink(false);
    const p = progressPrinter('f', out, () => now);
    for (let b = 0; b <= 1000; b += 20) {
      now += 100;
      p.update(at(b, b));
    }
    p.done();
    assert.ok(chunks.length >= 10 && chunks.length <= 12, String(chunks.length));
    assert.ok(chunks.every((c) => c.endsWith('\n') && !c.includes('\r')));
  });

  test('TTY: a redrawn bar, finished with a newline', () => {
    let now = 0;
    const { out, chunks } = sink(true);
    const p = progressPrinter('f', out, () => now);
    now = 1000;
    p.update(at(500, 10));
    p.done();
    assert.match(chunks[0] ?? '', /^\r\[#{15}\.{15}\] f {2}50%/);
    assert.equal(chunks.at(-1), '\n');
  });
});
