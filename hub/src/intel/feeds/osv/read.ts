// OSV: one record, an array of records, or a zip / tar(.gz) archive of record files.
import { sniff } from '../detect.js';
import { jsonItems } from '../json-stream.js';
import { guard } from '../records.js';
import type { FeedItem } from '../types.js';
import { tarMembers, zipMembers, type ArchiveMember } from './archive.js';
import { parseOsvRecord } from './parse.js';

const item = (value: unknown): FeedItem => {
  const record = parseOsvRecord(value);
  return { kind: 'vuln', key: record.id, record };
};

export async function* readOsvJson(file: string, onBytes?: (n: number) => void): AsyncGenerator<FeedItem> {
  const isArray = (await sniff(file)).toString('utf8').trimStart().startsWith('[');
  let i = 0;
  for await (const { value } of jsonItems(file, isArray ? 'array' : 'values', '', onBytes)) {
    yield guard(file, i++, () => item(value));
  }
}

async function* fromMembers(file: string, members: AsyncGenerator<ArchiveMember>): AsyncGenerator<FeedItem> {
  for await (const m of members) {
    const position = `${file}!${m.name}`;
    if (m.text === null) {
      yield { kind: 'invalid', position, message: m.error ?? 'unreadable member' };
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(m.text);
    } catch (err) {
      yield {
        kind: 'invalid',
        position,
        message: `invalid JSON: ${err instanceof Error ? err.message : ''}`,
      };
      continue;
    }
    const values = Array.isArray(parsed) ? parsed : [parsed];
    for (let i = 0; i < values.length; i++) yield guard(position, i, () => item(values[i]));
  }
}

export const readOsvZip = (file: string, onBytes?: (n: number) => void) =>
  fromMembers(file, zipMembers(file, onBytes));
export const readOsvTar = (file: string, onBytes?: (n: number) => void) =>
  fromMembers(file, tarMembers(file, onBytes));
