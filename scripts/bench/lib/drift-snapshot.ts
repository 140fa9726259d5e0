// Section "snapshot" of scripts/bench/baseline: a full configuration snapshot of 50,000 files
// generated in a temp dir, taken by the agent's DriftService exactly as in production (walk,
// streamed sha256, LevelDB state, chunked DriftReports into the outbox) in a fresh child
// process (so peak RSS is its own), next to `find DIR -type f -exec sha256sum {} +` on the same
// files in the same run. Prints figures; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { policyDocumentSchema } from '@watchpost/proto';
import { pino } from 'pino';
import { DriftService } from '../../../agent/src/drift/index.js';
import { Outbox } from '../../../agent/src/outbox/index.js';
import { openStore } from '../../../agent/src/state/store.js';

const self = fileURLToPath(import.meta.url);
const FILES = Number(process.env.WATCHPOST_BENCH_SNAPSHOT_FILES ?? 50_000);
const PER_DIR = 500;

/** Mostly small text configs (the common case), 1 % binaries of 64–160 KiB (hashed by streaming). */
function generate(dir: string): number {
  let seed = 42;
  const rand = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  let bytes = 0;
  for (let i = 0; i < FILES; i++) {
    const sub = join(dir, `d${Math.floor(i / PER_DIR)}`);
    if (i % PER_DIR === 0) mkdirSync(sub, { recursive: true });
    let data: Buffer;
    if (i % 100 === 99) {
      data = Buffer.alloc(65_536 + Math.floor(rand() * 98_304), i % 251);
    } else {
      const lines = 3 + Math.floor(rand() * 40);
      data = Buffer.from(
        Array.from({ length: lines }, (_, l) => `option_${l} = value-${i}-${Math.floor(rand() * 1e6)}`).join(
          '\n',
        ) + '\n',
      );
    }
    writeFileSync(join(sub, `f${i}.conf`), data);
    bytes += data.length;
  }
  return bytes;
}

interface ChildFigures {
  ms: number;
  maxRssMb: number;
  items: number;
  chunks: number;
}

/** Child body: one full snapshot of `dir` into a fresh data dir. */
async function child(dir: string, dataDir: string): Promise<void> {
  const log = pino({ level: 'silent' });
  const store = await openStore(dataDir);
  const outbox = await Outbox.open(store, 2 ** 31, log);
  const policy = policyDocumentSchema.parse({
    id: 'bench',
    title: 'bench',
    version: '1',
    checks: [{ id: 'c', title: 't', rationale: 'r', remediation: 'm', rules: [{ kind: 'file', path: dir }] }],
    watch: { paths: [dir], state: [] },
  });
  const drift = new DriftService({
    store,
    outbox,
    log,
    root: '/',
    config: {
      maxFiles: 100_000,
      maxFileBytesForDiff: 65_536,
      coalesceMs: 2000,
      realtime: false,
      maxWatchers: 1,
    },
    documents: () => [policy],
  });
  const t0 = performance.now();
  const summary = await drift.fullSnapshot();
  const ms = performance.now() - t0;
  drift.stop();
  outbox.close();
  await store.db.close();
  const figures: ChildFigures = {
    ms,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    items: summary.items,
    chunks: summary.chunks,
  };
  process.stdout.write(JSON.stringify(figures));
}

function timed(cmd: string, args: string[]): { ms: number; maxRssMb: number } {
  const t0 = performance.now();
  // GNU time prints the peak RSS (KiB) of the largest process it waited for on stderr.
  const run = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = performance.now() - t0;
  const kb = Number(run.stderr.trim().split('\n').pop());
  return { ms, maxRssMb: kb / 1024 };
}

export function snapshotSection(): void {
  console.log(`## snapshot: full configuration snapshot of ${FILES.toLocaleString('en-US')} files`);
  const base = mkdtempSync(join(tmpdir(), 'wp-bench-snapshot-'));
  try {
    const dir = join(base, 'tree');
    const bytes = generate(dir);
    const findArgs = [dir, '-type', 'f', '-exec', 'sha256sum', '{}', '+'];
    execFileSync('find', findArgs, { stdio: 'ignore' }); // warm the page cache for both sides
    const find = timed('find', findArgs);
    const rounds: ChildFigures[] = [];
    for (let r = 0; r < 2; r++) {
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', self, '--child', dir, join(base, `data${r}`)],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      rounds.push(JSON.parse(out) as ChildFigures);
    }
    const best = rounds.reduce((a, b) => (b.ms < a.ms ? b : a));
    mkdirSync(join(base, 'empty'));
    const floor = JSON.parse(
      execFileSync(
        process.execPath,
        ['--import', 'tsx', self, '--child', join(base, 'empty'), join(base, 'data-floor')],
        {
          encoding: 'utf8',
        },
      ),
    ) as ChildFigures;
    console.log(
      `${(bytes / 1024 / 1024).toFixed(1)} MiB in ${FILES} files (1 % binaries of 64–160 KiB), warm page cache`,
    );
    console.log('| run | files | wall ms | peak RSS MB | ratio |');
    console.log('| --- | --- | --- | --- | --- |');
    console.log(
      `| baseline: find -exec sha256sum {} + | ${FILES} | ${find.ms.toFixed(0)} | ${find.maxRssMb.toFixed(1)} (sha256sum) | 1.0 |`,
    );
    console.log(
      `| agent full snapshot (walk + hash + level + ${best.chunks} DriftReports into the outbox), best of ${rounds.length} | ${best.items} | ${best.ms.toFixed(0)} | ${best.maxRssMb.toFixed(1)} (node floor ${floor.maxRssMb.toFixed(1)}) | ${(best.ms / find.ms).toFixed(1)} |`,
    );
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args[0] === '--child' && process.argv[1] === self) await child(args[1] ?? '', args[2] ?? '');
