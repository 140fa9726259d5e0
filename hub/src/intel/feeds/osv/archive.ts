// OSV archives (osv.dev `all.zip`, or tar/tar.gz of records): each `.json` member is one record
// (or an array). Members are read one at a time, each bounded in size.
import { createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import tarStream from 'tar-stream';
import { countedStream, type ByteCounter } from '../json-stream.js';
import { sniff } from '../detect.js';

/** Larger OSV records exist only in error or malice: the biggest real ones are a few MB. */
export const MAX_OSV_MEMBER_BYTES = 32 * 1024 * 1024;

export interface ArchiveMember {
  name: string;
  /** The member's text, or why it could not be read. */
  text: string | null;
  error: string | null;
}

async function readBounded(
  stream: Readable,
  limit: number,
): Promise<{ text: string | null; error: string | null }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      stream.destroy();
      return { text: null, error: `member larger than ${limit} bytes` };
    }
    chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), error: null };
}

const isJsonMember = (name: string) => name.toLowerCase().endsWith('.json') && !name.endsWith('/');

export async function* zipMembers(
  file: string,
  onBytes?: (n: number) => void,
): AsyncGenerator<ArchiveMember> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  let compressed = 0;
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        const onEntry = (e: yauzl.Entry) => {
          cleanup();
          resolve(e);
        };
        const onEnd = () => {
          cleanup();
          resolve(null);
        };
        const onError = (e: Error) => {
          cleanup();
          reject(e);
        };
        const cleanup = () => {
          zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
        };
        zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
        zip.readEntry();
      });
      if (entry === null) return;
      compressed += entry.compressedSize;
      onBytes?.(compressed);
      if (!isJsonMember(entry.fileName)) continue;
      if (entry.uncompressedSize > MAX_OSV_MEMBER_BYTES) {
        yield { name: entry.fileName, text: null, error: `member larger than ${MAX_OSV_MEMBER_BYTES} bytes` };
        continue;
      }
      const stream = await new Promise<Readable>((resolve, reject) =>
        zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))),
      );
      yield { name: entry.fileName, ...(await readBounded(stream, MAX_OSV_MEMBER_BYTES)) };
    }
  } finally {
    zip.close();
  }
}

export async function* tarMembers(
  file: string,
  onBytes?: (n: number) => void,
): AsyncGenerator<ArchiveMember> {
  const head = await sniff(file);
  const gz = head[0] === 0x1f && head[1] === 0x8b;
  const counter: ByteCounter = { read: 0 };
  const extract = tarStream.extract();
  const source = countedStream(file, counter, onBytes);
  const feeding = (gz ? pipeline(source, createGunzip(), extract) : pipeline(source, extract)).catch(
    (err: unknown) => extract.destroy(err instanceof Error ? err : new Error(String(err))),
  );
  for await (const entry of extract) {
    if (entry.header.type !== 'file' || !isJsonMember(entry.header.name)) {
      entry.resume();
      continue;
    }
    yield {
      name: entry.header.name,
      ...(await readBounded(entry as unknown as Readable, MAX_OSV_MEMBER_BYTES)),
    };
  }
  await feeding;
}
