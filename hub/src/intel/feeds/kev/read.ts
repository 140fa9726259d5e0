// CISA KEV catalog: `vulnerabilities[]`.
import { jsonItems } from '../json-stream.js';
import { guard } from '../records.js';
import type { FeedItem } from '../types.js';
import { parseKevEntry } from './parse.js';

export async function* readKev(file: string, onBytes?: (n: number) => void): AsyncGenerator<FeedItem> {
  let i = 0;
  for await (const { value } of jsonItems(file, 'array', 'vulnerabilities', onBytes)) {
    yield guard(file, i++, () => {
      const entry = parseKevEntry(value);
      return { kind: 'kev', key: entry.cve, entry };
    });
  }
}
