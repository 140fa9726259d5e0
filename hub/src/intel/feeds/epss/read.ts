// EPSS CSV through csv-parse; the `#model_version` line is read first and applies to every row.
import { parse } from 'csv-parse';
import { hubError } from '../../../platform/errors.js';
import { RecordError } from '../common.js';
import { sniff } from '../detect.js';
import { countedStream, type ByteCounter } from '../json-stream.js';
import { guard } from '../records.js';
import type { FeedItem } from '../types.js';
import { parseEpssHeader, parseEpssRow } from './parse.js';

export async function* readEpss(file: string, onBytes?: (n: number) => void): AsyncGenerator<FeedItem> {
  const firstLine = (await sniff(file)).toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  let header;
  try {
    header = parseEpssHeader(firstLine);
  } catch (err) {
    throw hubError(
      'INTEL_FEED_INVALID',
      `${file}: ${err instanceof RecordError ? err.message : String(err)}`,
      {
        file,
      },
    );
  }
  const counter: ByteCounter = { read: 0 };
  const rows = countedStream(file, counter, onBytes).pipe(
    parse({ comment: '#', from_line: 3, skip_empty_lines: true, trim: true }),
  );
  let i = 0;
  try {
    for await (const row of rows as AsyncIterable<string[]>) {
      yield guard(file, i++, () => {
        const score = parseEpssRow(row, header);
        return { kind: 'epss', key: score.cve, score };
      });
    }
  } catch (err) {
    rows.destroy();
    throw hubError('INTEL_FEED_INVALID', `${file}: invalid CSV near byte ${counter.read} after row #${i}`, {
      file,
      byte: counter.read,
      cause: err instanceof Error ? err.message : String(err),
    });
  }
}
