// NVD 2.0: API pages and yearly feeds carry `vulnerabilities[].cve`; mirrors hold one bare `cve`.
import { sniff } from '../detect.js';
import { jsonItems } from '../json-stream.js';
import { guard } from '../records.js';
import type { FeedItem } from '../types.js';
import { obj } from '../common.js';
import { parseNvd2Cve } from './parse.js';

export async function* readNvd2(file: string, onBytes?: (n: number) => void): AsyncGenerator<FeedItem> {
  const paged = /"vulnerabilities"\s*:/.test((await sniff(file)).toString('utf8'));
  const items = paged
    ? jsonItems(file, 'array', 'vulnerabilities', onBytes)
    : jsonItems(file, 'values', '', onBytes);
  let i = 0;
  for await (const { value } of items) {
    const cve = paged ? obj(value).cve : value;
    yield guard(file, i++, () => {
      const record = parseNvd2Cve(cve);
      return { kind: 'vuln', key: record.id, record };
    });
  }
}
