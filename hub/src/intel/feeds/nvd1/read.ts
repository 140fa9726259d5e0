// Legacy NVD 1.1 feed: `CVE_Items[]`.
import { jsonItems } from '../json-stream.js';
import { guard } from '../records.js';
import type { FeedItem } from '../types.js';
import { parseNvd1Item } from './parse.js';

export async function* readNvd1(file: string, onBytes?: (n: number) => void): AsyncGenerator<FeedItem> {
  let i = 0;
  for await (const { value } of jsonItems(file, 'array', 'CVE_Items', onBytes)) {
    yield guard(file, i++, () => {
      const record = parseNvd1Item(value);
      return { kind: 'vuln', key: record.id, record };
    });
  }
}
