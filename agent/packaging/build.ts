// Builds the agent's single executable (Node SEA) and its .deb — see agent/README.md "Install".
// esbuild bundles the agent into one CJS file; native addons ride along as SEA assets (see
// native.ts); postject injects the blob into a copy of this machine's node binary. Nothing is
// downloaded. Optional natives (ssh2's crypto binding, cpu-features, ws' bufferutil, pg-native)
// are replaced by a module that throws, which each of those libraries already catches.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { buildDeb } from './deb.js';

const repo = resolve(import.meta.dirname, '../..');
const requireFromAgent = createRequire(join(repo, 'agent/package.json'));
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const OPTIONAL_NATIVE = ['cpu-features', 'bufferutil', 'utf-8-validate', 'pg-native'];
export const PLATFORM = 'linux-x64';

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function nativePlugin(addonSha: string, version: string): Plugin {
  const nativeTs = join(repo, 'agent/packaging/native.ts');
  return {
    name: 'watchpost-native',
    setup(b) {
      b.onResolve({ filter: /^node-gyp-build$/ }, () => ({ path: 'classic-level', namespace: 'wp-native' }));
      b.onLoad({ filter: /.*/, namespace: 'wp-native' }, () => ({
        contents:
          `const { lazyAddon } = require(${JSON.stringify(nativeTs)});\n` +
          `module.exports = () => lazyAddon({ asset: 'classic-level.node', sha256: ${JSON.stringify(addonSha)} }, ${JSON.stringify(version)});\n`,
        loader: 'js',
        resolveDir: repo,
      }));
      const optional = new RegExp(`^(${OPTIONAL_NATIVE.join('|')})$|\\.node$`);
      b.onResolve({ filter: optional }, (args) => ({ path: args.path, namespace: 'wp-optional' }));
      b.onLoad({ filter: /.*/, namespace: 'wp-optional' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`optional native module ${args.path} is not part of the single executable`)});\n`,
        loader: 'js',
      }));
    },
  };
}

export interface BuildOptions {
  version: string;
  out: string;
  fault: string;
  deb: boolean;
}

export async function buildAgent(o: BuildOptions): Promise<{ binary: string; deb: string | null }> {
  const work = join(o.out, '.work');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const levelDir = dirname(requireFromAgent.resolve('classic-level/package.json'));
  const addonPath = join(levelDir, 'prebuilds/linux-x64/classic-level.node');
  const addonSha = sha256(readFileSync(addonPath));
  const bundle = join(work, 'agent.cjs');
  await build({
    entryPoints: [join(repo, 'agent/packaging/sea-entry.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: bundle,
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: {
      __WATCHPOST_AGENT_VERSION__: JSON.stringify(o.version),
      __WATCHPOST_BUILD_FAULT__: JSON.stringify(o.fault),
    },
    plugins: [nativePlugin(addonSha, o.version)],
  });
  const seaConfig = join(work, 'sea-config.json');
  const blob = join(work, 'sea-prep.blob');
  writeFileSync(
    seaConfig,
    JSON.stringify({
      main: bundle,
      output: blob,
      disableExperimentalSEAWarning: true,
      useCodeCache: true,
      assets: { 'classic-level.node': addonPath },
    }),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const binary = join(o.out, `watchpost-agent-${PLATFORM}`);
  rmSync(binary, { force: true });
  copyFileSync(process.execPath, binary);
  chmodSync(binary, 0o755);
  const postject = join(dirname(requireFromAgent.resolve('postject/package.json')), 'dist/cli.js');
  // postject warns about every ELF note it cannot name; its stderr only matters when it fails
  // (execFileSync then throws with it).
  execFileSync(process.execPath, [postject, binary, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const deb = o.deb ? buildDeb({ binary, version: o.version, out: o.out, work }) : null;
  rmSync(work, { recursive: true, force: true });
  return { binary, deb };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      version: { type: 'string' },
      out: { type: 'string', default: join(repo, 'dist/agent') },
      fault: { type: 'string', default: '' },
      'no-deb': { type: 'boolean', default: false },
    },
  });
  const pkg = JSON.parse(readFileSync(join(repo, 'agent/package.json'), 'utf8')) as { version: string };
  const version = values.version ?? pkg.version;
  if (!/^[0-9][0-9A-Za-z.+~-]{0,63}$/.test(version)) throw new Error(`bad --version ${version}`);
  if (!['', 'no-connect'].includes(values.fault)) throw new Error(`unknown --fault ${values.fault}`);
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const r = await buildAgent({ version, out, fault: values.fault, deb: !values['no-deb'] });
  process.stdout.write(`${JSON.stringify({ version, binary: r.binary, deb: r.deb })}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
