// Thin I/O: runs rpm with a fixed argv (no shell) when it exists.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseRpmQuery, type RpmPackage } from '../parse.js';
import { RPM_QUERY_ARGS } from '../spec.js';

const run = promisify(execFile);

export async function readRpmPackages(): Promise<RpmPackage[] | undefined> {
  try {
    const { stdout } = await run('rpm', [...RPM_QUERY_ARGS], {
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    });
    return parseRpmQuery(stdout);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // no rpm on this host
    throw err;
  }
}
