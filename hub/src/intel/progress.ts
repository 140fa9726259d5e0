// CLI progress for `intel import`: a redrawn bar on a TTY, plain lines (at most one per 5 s or
// per 10 %) otherwise, always on stderr so --json output stays one object on stdout.
import type { ImportProgress } from './importer.js';

const BAR = 30;

export function formatProgress(name: string, p: ImportProgress, elapsedMs: number): string {
  const pct = p.bytesTotal > 0 ? Math.min(100, (p.bytesRead / p.bytesTotal) * 100) : 0;
  const rate = elapsedMs > 0 ? Math.round((p.records / elapsedMs) * 1000) : 0;
  const mb = (n: number) => (n / 1048576).toFixed(1);
  return `${name} ${pct.toFixed(0).padStart(3)}% ${mb(p.bytesRead)}/${mb(p.bytesTotal)} MB ${p.records} records ${rate}/s new ${p.counts.new} upd ${p.counts.updated} same ${p.counts.unchanged} bad ${p.counts.failed}`;
}

export function progressPrinter(
  name: string,
  out: NodeJS.WriteStream,
  now: () => number = Date.now,
): { update(p: ImportProgress): void; done(): void } {
  const started = now();
  let lastAt = 0;
  let lastPct = -100;
  let drew = false;
  return {
    update(p) {
      const t = now();
      const line = formatProgress(name, p, t - started);
      if (out.isTTY) {
        if (t - lastAt < 100) return;
        const pct = p.bytesTotal > 0 ? p.bytesRead / p.bytesTotal : 0;
        const filled = Math.round(pct * BAR);
        out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${line}`.slice(0, out.columns - 1));
        drew = true;
      } else {
        const pct = p.bytesTotal > 0 ? (p.bytesRead / p.bytesTotal) * 100 : 0;
        if (t - lastAt < 5000 && pct - lastPct < 10) return;
        lastPct = pct;
        out.write(`${line}\n`);
      }
      lastAt = t;
    },
    done() {
      if (drew) out.write('\n');
    },
  };
}
