// Streaming JSON over a file: stream-json tokenizes, and only one array element / object property
// is assembled at a time, so memory is bounded by the largest record, not the file.
import { createReadStream } from 'node:fs';
import chain from 'stream-chain';
import { parser } from 'stream-json/parser.js';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { streamObject } from 'stream-json/streamers/stream-object.js';
import { streamValues } from 'stream-json/streamers/stream-values.js';
import { hubError } from '../../platform/errors.js';

export type JsonMode = 'array' | 'object' | 'values';

export interface ByteCounter {
  /** Bytes of the file read so far. */
  read: number;
}

/** Opens `path` as a byte-counted stream (progress and error positions use the count). */
export function countedStream(path: string, counter: ByteCounter, onBytes?: (n: number) => void) {
  const s = createReadStream(path, { highWaterMark: 256 * 1024 });
  s.on('data', (chunk) => {
    counter.read += chunk.length;
    onBytes?.(counter.read);
  });
  return s;
}

/**
 * Yields `{key, value}` for each element of the array (or property of the object) at `path`
 * (a dotted key path; empty for the top level). A syntax error ends the iteration with
 * INTEL_FEED_INVALID naming the file, the byte offset reached and the records read before it.
 * The byte offset is how far the file had been read (read-ahead is at most one 256 KiB chunk).
 */
export async function* jsonItems(
  file: string,
  mode: JsonMode,
  path: string,
  onBytes?: (n: number) => void,
): AsyncGenerator<{ key: string | number; value: unknown }> {
  const counter: ByteCounter = { read: 0 };
  // Packed tokens only: the streamers assemble from them, and piece-wise tokens would triple the work.
  const stages: unknown[] = [countedStream(file, counter, onBytes), parser({ streamValues: false })];
  if (path !== '') stages.push(pick({ filter: path }));
  stages.push(mode === 'array' ? streamArray() : mode === 'object' ? streamObject() : streamValues());
  const pipeline = chain(stages as Parameters<typeof chain>[0]);
  let n = 0;
  try {
    for await (const item of pipeline as AsyncIterable<{ key: string | number; value: unknown }>) {
      n++;
      yield item;
    }
  } catch (err) {
    pipeline.destroy();
    throw hubError(
      'INTEL_FEED_INVALID',
      `${file}: invalid JSON near byte ${counter.read} (${n} records read before it)`,
      {
        file,
        byte: counter.read,
        records: n,
        cause: err instanceof Error ? err.message : String(err),
      },
    );
  } finally {
    pipeline.destroy();
  }
}
