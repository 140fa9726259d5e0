// Native addons inside the single executable: SEA assets can only be read as bytes, and
// dlopen needs a file, so each addon is written once to a cache dir keyed by the build version
// and the addon's sha256 (under the agent's data dir), re-verified before every load, then
// loaded with process.dlopen. Nothing is loaded until a property of the binding is touched, so
// `--version`, `status` and `doctor` never extract anything.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getAsset, isSea } from 'node:sea';
import { defaultDataDir } from '../src/config/dataDir.js';

export interface NativeAddon {
  /** Asset key in sea-config.json. */
  asset: string;
  /** Expected sha256 (hex), fixed at build time. */
  sha256: string;
}

/** --data-dir from argv (both `--data-dir D` and `--data-dir=D`), else the default. */
export function dataDirFromArgv(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--data-dir' && argv[i + 1] !== undefined) return argv[i + 1] ?? '';
    if (a.startsWith('--data-dir=')) return a.slice('--data-dir='.length);
  }
  return defaultDataDir(env);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes the asset to `<dataDir>/native/<version>/<sha256>.node` unless a verified copy is there. */
export function extractAddon(addon: NativeAddon, version: string, dataDir: string): string {
  const dir = join(dataDir, 'native', version);
  const file = join(dir, `${addon.sha256.slice(0, 16)}-${addon.asset}`);
  if (existsSync(file) && sha256(readFileSync(file)) === addon.sha256) return file;
  const bytes = new Uint8Array(getAsset(addon.asset));
  if (sha256(bytes) !== addon.sha256)
    throw new Error(`embedded addon ${addon.asset} does not match its build-time checksum`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes, { mode: 0o500 });
  chmodSync(tmp, 0o500);
  renameSync(tmp, file);
  return file;
}

/** A binding object that dlopens the addon on first use. */
export function lazyAddon(addon: NativeAddon, version: string): object {
  let loaded: Record<string | symbol, unknown> | undefined;
  const load = (): Record<string | symbol, unknown> => {
    if (loaded) return loaded;
    if (!isSea()) throw new Error('native addon assets are only available inside the single executable');
    const file = extractAddon(addon, version, dataDirFromArgv(process.argv.slice(2)));
    const mod = { exports: {} as Record<string | symbol, unknown> };
    process.dlopen(mod, file);
    loaded = mod.exports;
    return loaded;
  };
  return new Proxy(
    {},
    {
      get: (_t, key) => load()[key],
      has: (_t, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_t, key) => {
        const d = Object.getOwnPropertyDescriptor(load(), key);
        return d ? { ...d, configurable: true } : undefined;
      },
    },
  );
}
