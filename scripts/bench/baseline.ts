// Baseline benchmark. Sections run in order (all by default; `--section <name>` picks one):
//   evaluation — the Wazuh CIS Debian 12 SCA policy (imported by the hub's converter, handed
//                over as the JSON a PolicyUpdate carries) evaluated on THIS machine by the agent's
//                evaluator, commands disabled and enabled, each in a fresh child process that
//                loads only the agent's evaluator, so peak RSS is that run's own. Baselines in
//                the same run: a child that loads the same modules and parses the same policy but
//                evaluates nothing (RSS floor), and a plain read of every file the policy's file
//                rules name (I/O floor).
// Further sections (e.g. the configuration snapshot) append themselves to SECTIONS below.
// Prints figures; asserts nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePolicyDocument, type PolicyDocument } from '@watchpost/proto';
import { importScaPolicy } from '../../hub/src/policies/index.js';
import { repoRoot } from '../../tests/e2e/lib/harness.js';
import { snapshotSection } from './lib/drift-snapshot.js';

const fixtures = process.env.WATCHPOST_FIXTURES ?? join(repoRoot, '..', 'shared', 'fixtures');
const CIS_DEBIAN12 = join(fixtures, 'sca', 'wazuh-cis_debian12.yml');
const self = fileURLToPath(import.meta.url);

function loadPolicy(): PolicyDocument {
  const imported = importScaPolicy(readFileSync(CIS_DEBIAN12, 'utf8'));
  return parsePolicyDocument(Buffer.from(JSON.stringify(imported.document)));
}

interface ChildFigures {
  ms: number;
  maxRssMb: number;
  checks: number;
  passed: number;
  failed: number;
  notApplicable: number;
  errors: number;
}

function runChild(policyJson: string, mode: string): ChildFigures {
  const child = join(dirname(self), 'lib', 'baseline-eval-child.ts');
  const out = execFileSync(process.execPath, ['--import', 'tsx', child, policyJson, mode], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out) as ChildFigures;
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : ''}${n.toFixed(1)}`;
}

function ioFloorMs(doc: PolicyDocument): { ms: number; files: number } {
  const paths = new Set<string>();
  for (const c of doc.checks) for (const r of c.rules) if (r.kind === 'file') paths.add(r.path);
  const t0 = performance.now();
  let files = 0;
  for (const p of paths) {
    try {
      readFileSync(p);
      files++;
    } catch {
      // missing files cost a failed open too; that is part of the floor
    }
  }
  return { ms: performance.now() - t0, files };
}

function evaluationSection(): void {
  console.log('## evaluation: Wazuh CIS Debian 12 on this machine');
  if (!existsSync(CIS_DEBIAN12)) {
    console.log(`skipped: ${CIS_DEBIAN12} not present`);
    return;
  }
  const doc = loadPolicy();
  const dir = mkdtempSync(join(tmpdir(), 'wp-bench-baseline-'));
  const policyJson = join(dir, 'policy.json');
  writeFileSync(policyJson, JSON.stringify(doc));
  const floor = runChild(policyJson, 'parse-only');
  const io = ioFloorMs(doc);
  console.log('| run | checks | wall ms | peak RSS MB | pass | fail | n/a | error |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  console.log(
    `| baseline: load + parse policy only | ${floor.checks} | ${floor.ms.toFixed(0)} | ${floor.maxRssMb.toFixed(1)} | | | | |`,
  );
  console.log(
    `| baseline: read the ${io.files} files named by file rules | | ${io.ms.toFixed(1)} | | | | | |`,
  );
  for (const [label, mode] of [
    ['evaluate, commands disabled', 'eval-off'],
    ['evaluate, commands enabled', 'eval-on'],
  ] as const) {
    const f = runChild(policyJson, mode);
    console.log(
      `| ${label} | ${f.checks} | ${f.ms.toFixed(0)} | ${f.maxRssMb.toFixed(1)} (${signed(f.maxRssMb - floor.maxRssMb)}) | ${f.passed} | ${f.failed} | ${f.notApplicable} | ${f.errors} |`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
}

const SECTIONS: Array<{ name: string; run: () => void | Promise<void> }> = [
  { name: 'evaluation', run: evaluationSection },
  { name: 'snapshot', run: snapshotSection },
];

const args = process.argv.slice(2);
const only = args[0] === '--section' ? args[1] : undefined;
for (const section of SECTIONS) if (!only || section.name === only) await section.run();
