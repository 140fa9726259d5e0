// Child process of scripts/bench/baseline (evaluation section). Loads only what the agent loads
// for a run — the policy JSON as a PolicyUpdate carries it and the agent's evaluator — so its
// peak RSS is the agent's own. argv: <policy.json> <eval-on|eval-off|parse-only>. Prints JSON.
import { readFileSync } from 'node:fs';
import { parsePolicyDocument } from '@watchpost/proto';
import { createLinuxHost, evaluatePolicy } from '../../../agent/src/baseline/index.js';

const [path = '', mode = ''] = process.argv.slice(2);
const doc = parsePolicyDocument(readFileSync(path));
const t0 = performance.now();
let counts = { passed: 0, failed: 0, notApplicable: 0, errors: 0 };
if (mode !== 'parse-only') {
  const out = await evaluatePolicy(doc, createLinuxHost({ root: '/', commandTimeoutMs: 30_000 }), {
    allowCommands: mode === 'eval-on',
  });
  counts = { passed: out.passed, failed: out.failed, notApplicable: out.notApplicable, errors: out.errors };
}
process.stdout.write(
  JSON.stringify({
    ms: performance.now() - t0,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    checks: doc.checks.length,
    ...counts,
  }),
);
