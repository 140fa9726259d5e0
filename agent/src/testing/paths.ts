// Where tests find hand-made inputs (agent/testdata) and the shared real fixtures.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const agentRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const repoRoot = join(agentRoot, '..');
export const fixturesDir = process.env['WATCHPOST_FIXTURES'] ?? join(repoRoot, '..', 'shared', 'fixtures');

export function testdata(name: string): string {
  return join(agentRoot, 'testdata', name);
}

/** Path of a shared fixture, or undefined (the caller skips with a reason) when absent. */
export function fixture(rel: string): string | undefined {
  const path = join(fixturesDir, rel);
  return existsSync(path) ? path : undefined;
}
