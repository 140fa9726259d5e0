// Thin I/O: a report file (or uploaded temp file) as a text stream, and the format dispatch.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { hubError } from '../platform/errors.js';
import { parseNessus } from './nessus/parse.js';
import { parseNmap } from './nmap/parse.js';
import { parseOpenvas } from './openvas/parse.js';
import { parseSarif } from './sarif/parse.js';
import { parseTrivy } from './trivy/parse.js';
import type { HostBatch, ImportFormat } from './types.js';

/** JSON reports are parsed whole (JSON.parse); bounded here. XML streams and has no bound. */
export const MAX_JSON_REPORT_BYTES = 256 * 1024 * 1024;

export async function* textStream(path: string, onBytes?: (n: number) => void): AsyncGenerator<string> {
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of stream) {
    onBytes?.((chunk as Buffer).length);
    yield decoder.decode(chunk as Buffer, { stream: true });
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

async function jsonOf(path: string, onBytes?: (n: number) => void): Promise<unknown> {
  const { size } = await stat(path);
  onBytes?.(size);
  if (size > MAX_JSON_REPORT_BYTES)
    throw hubError('PAYLOAD_TOO_LARGE', `JSON report over ${MAX_JSON_REPORT_BYTES} bytes`);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (err) {
    throw hubError('IMPORT_PARSE_FAILED', `JSON: ${(err as Error).message}`);
  }
}

/** The report's hosts with their observations, in file order. */
export async function* readReport(
  format: ImportFormat,
  path: string,
  onBytes?: (n: number) => void,
): AsyncGenerator<HostBatch> {
  switch (format) {
    case 'nmap':
      yield* parseNmap(textStream(path, onBytes));
      return;
    case 'openvas':
      yield* parseOpenvas(textStream(path, onBytes));
      return;
    case 'nessus':
      yield* parseNessus(textStream(path, onBytes));
      return;
    case 'trivy':
      yield* parseTrivy(await jsonOf(path, onBytes));
      return;
    case 'sarif':
      yield* parseSarif(await jsonOf(path, onBytes));
      return;
  }
}
