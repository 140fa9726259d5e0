// Debian tracker JSON is one object keyed by source package: stream it property by property.
import { isObj } from '../common.js';
import { jsonItems } from '../json-stream.js';
import { guard } from '../records.js';
import type { FeedItem } from '../types.js';
import { parseDebianEntry } from './parse.js';

export async function* readDebianTracker(
  file: string,
  onBytes?: (n: number) => void,
): AsyncGenerator<FeedItem> {
  let i = 0;
  for await (const { key, value } of jsonItems(file, 'object', '', onBytes)) {
    const pkg = String(key);
    if (!isObj(value)) {
      yield {
        kind: 'invalid',
        position: `${file} package ${pkg}`,
        message: 'package entry is not an object',
      };
      continue;
    }
    for (const [cve, entry] of Object.entries(value)) {
      yield guard(`${file} package ${pkg}`, i++, () => {
        const record = parseDebianEntry(pkg, cve, entry);
        return { kind: 'vuln', key: `${record.id}|${pkg}`, record };
      });
    }
  }
}
