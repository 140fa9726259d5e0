// For the e2e tests: builds the single executable once per source state, version and fault,
// cached under the temp dir (two test files asking for the same build share it).
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const SOURCES = [
  'agent/src',
  'agent/packaging',
  'agent/package.json',
  'proto/gen',
  'proto/src',
  'package-lock.json',
];

function hashTree(hash: ReturnType<typeof createHash>, path: string): void {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name === 'node_modules' || name.endsWith('.test.ts')) continue;
      hashTree(hash, join(path, name));
    }
    return;
  }
  hash.update(path.slice(repo.length)).update('\0').update(readFileSync(path)).update('\0');
}

export function sourceHash(): string {
  const h = createHash('sha256');
  for (const s of SOURCES) if (existsSync(join(repo, s))) hashTree(h, join(repo, s));
  return h.digest('hex').slice(0, 16);
}

export interface AgentBuild {
  version: string;
  binary: string;
  deb: string | null;
}

/** scripts/build-agent into <tmp>/watchpost-agent-builds/<source hash>-<version>-<fault>/. */
export async function cachedAgentBuild(
  version: string,
  opts: { fault?: string; deb?: boolean } = {},
): Promise<AgentBuild> {
  const fault = opts.fault ?? '';
  const hash = sourceHash();
  const cache = join(tmpdir(), 'watchpost-agent-builds');
  const dir = join(cache, `${hash}-${version}-${fault || 'ok'}${opts.deb ? '-deb' : ''}`);
  const done = join(dir, 'build.json');
  if (existsSync(done)) return JSON.parse(readFileSync(done, 'utf8')) as AgentBuild;
  // Builds of other source states are ~100 MiB each and never used again: drop them.
  for (const old of existsSync(cache) ? readdirSync(cache) : [])
    if (!old.startsWith(hash) && !old.endsWith('.tmp'))
      rmSync(join(cache, old), { recursive: true, force: true });
  const tmp = `${dir}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  const args = [
    '--version',
    version,
    '--out',
    tmp,
    ...(fault ? ['--fault', fault] : []),
    ...(opts.deb ? [] : ['--no-deb']),
  ];
  await run(join(repo, 'scripts/build-agent'), args, { cwd: repo, maxBuffer: 16 * 1024 * 1024 });
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  const build: AgentBuild = {
    version,
    binary: join(dir, 'watchpost-agent-linux-x64'),
    deb: opts.deb ? join(dir, `watchpost-agent_${version}_amd64.deb`) : null,
  };
  writeFileSync(done, JSON.stringify(build));
  return build;
}
