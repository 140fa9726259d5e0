// One entry point over all feed readers: resolve the format, then stream normalized items.
import { stat } from 'node:fs/promises';
import type { FeedFormat } from '../store-api.js';
import { readCve5 } from './cve5/read.js';
import { readDebianTracker } from './debian-tracker/read.js';
import { resolveFormat } from './detect.js';
import { readEpss } from './epss/read.js';
import { readKev } from './kev/read.js';
import { readNvd1 } from './nvd1/read.js';
import { readNvd2 } from './nvd2/read.js';
import { readOsvJson, readOsvTar, readOsvZip } from './osv/read.js';
import type { FeedItem } from './types.js';

export type { FeedItem } from './types.js';
export { detectFormat } from './detect.js';

const READERS: Record<FeedFormat, (file: string, onBytes?: (n: number) => void) => AsyncGenerator<FeedItem>> =
  {
    nvd2: readNvd2,
    nvd1: readNvd1,
    cve5: readCve5,
    osv: readOsvJson,
    'osv-zip': readOsvZip,
    'osv-tar': readOsvTar,
    'debian-tracker': readDebianTracker,
    kev: readKev,
    epss: readEpss,
  };

export interface OpenedFeed {
  format: FeedFormat;
  bytesTotal: number;
  items: AsyncGenerator<FeedItem>;
}

export async function openFeed(
  file: string,
  format?: FeedFormat,
  onBytes?: (bytesRead: number) => void,
): Promise<OpenedFeed> {
  const resolved = await resolveFormat(file, format);
  const { size } = await stat(file);
  return { format: resolved, bytesTotal: size, items: READERS[resolved](file, onBytes) };
}
