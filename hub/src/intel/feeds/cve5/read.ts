// CVE JSON 5.x: one record per file, or several concatenated / in an array (bulk exports).
import { sniff } from '../detect.js';
import { jsonItems } from '../json-stream.js';
import { guard } from '../records.js';
import type { FeedItem } from '../types.js';
import { parseCve5Record } from './parse.js';

export async function* readCve5(file: string, onBytes?: (n: number) => void): AsyncGenerator<FeedItem> {
  const isArray = (await sniff(file)).toString('utf8').trimStart().startsWith('[');
  let i = 0;
  for await (const { value } of jsonItems(file, isArray ? 'array' : 'values', '', onBytes)) {
    yield guard(file, i++, () => {
      const record = parseCve5Record(value);
      return { kind: 'vuln', key: record.id, record };
    });
  }
}
