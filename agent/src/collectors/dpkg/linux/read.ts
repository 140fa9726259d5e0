// Thin I/O: streams /var/lib/dpkg/status through the pure parser.
import { createReadStream } from 'node:fs';
import { DpkgStatusParser, type DpkgPackage } from '../parse.js';
import { DPKG_STATUS_PATH } from '../spec.js';

export async function readDpkgPackages(
  path = DPKG_STATUS_PATH,
  maxItems = Infinity,
): Promise<DpkgPackage[] | undefined> {
  const parser = new DpkgStatusParser();
  const out: DpkgPackage[] = [];
  try {
    for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
      for (const p of parser.push(chunk as string)) if (out.length < maxItems) out.push(p);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // not a dpkg system
    throw err;
  }
  for (const p of parser.end()) if (out.length < maxItems) out.push(p);
  return out;
}
