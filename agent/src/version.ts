import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    if (pkg && typeof pkg === 'object' && 'version' in pkg && typeof pkg.version === 'string')
      return pkg.version;
  } catch {
    // fall through: a packaged agent without package.json still runs
  }
  return '0.0.0';
}

// The single-executable build defines this (esbuild `define`): it has no package.json beside it.
declare const __WATCHPOST_AGENT_VERSION__: string | undefined;

export const AGENT_VERSION =
  typeof __WATCHPOST_AGENT_VERSION__ === 'string' ? __WATCHPOST_AGENT_VERSION__ : readVersion();
