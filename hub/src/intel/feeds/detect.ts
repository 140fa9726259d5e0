// Format auto-detection from the first bytes of a file; `--format` overrides it. Archives by
// magic number, CSV by its EPSS header, JSON by the keys each format puts near its start.
import { open } from 'node:fs/promises';
import { hubError } from '../../platform/errors.js';
import type { FeedFormat } from '../store-api.js';

const SNIFF_BYTES = 64 * 1024;

export async function sniff(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export function detectFormat(head: Buffer): FeedFormat | null {
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return 'osv-zip';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'osv-tar';
  if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'osv-tar';
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (/^#model_version:/.test(start) || /^cve,epss,percentile/i.test(start)) return 'epss';
  if (!start.startsWith('{') && !start.startsWith('[')) return null;
  // A JSON Schema describes a feed; it is not one (the fixtures ship them side by side).
  if (/^\{\s*"\$schema"\s*:/.test(start) || /"definitions"\s*:\s*\{/.test(text)) return null;
  if (/"CVE_Items"\s*:/.test(text)) return 'nvd1';
  if (/"catalogVersion"\s*:/.test(text) || /"cveID"\s*:/.test(text)) return 'kev';
  if (/"cveMetadata"\s*:/.test(text) || /"dataType"\s*:\s*"CVE_RECORD"/.test(text)) return 'cve5';
  if (/"format"\s*:\s*"NVD_CVE"/.test(text) || /"sourceIdentifier"\s*:/.test(text)) return 'nvd2';
  if (/^\{\s*"[a-z0-9][a-z0-9.+-]*"\s*:\s*\{\s*"(CVE|TEMP)-[0-9A-Za-z-]+"\s*:/.test(start))
    return 'debian-tracker';
  if (/"(schema_version|affected|modified)"\s*:/.test(text) && /"id"\s*:/.test(text)) return 'osv';
  return null;
}

export async function resolveFormat(path: string, explicit: FeedFormat | undefined): Promise<FeedFormat> {
  if (explicit !== undefined) return explicit;
  const format = detectFormat(await sniff(path));
  if (format === null)
    throw hubError('INTEL_FORMAT_UNKNOWN', `${path}: not a recognised intel feed; pass --format`, {
      file: path,
    });
  return format;
}
