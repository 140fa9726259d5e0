// Streams an XML report and cuts it into one element per host/result, so memory is bounded by one
// chunk, not the file. saxes tokenises in one pass (it expands no entities: only the five XML
// ones and character references) and each chunk's element tree is built straight from its
// events, in fast-xml-parser's object shape (attributes `@_x`, text `#text`, repeated children as
// arrays). Re-parsing each chunk with fast-xml-parser was measured at 3–5 MB/s on Nessus output,
// too slow for the import budget (scripts/bench/intel), so the tokeniser's events are used
// directly. Hostile input is refused before a chunk is handed out: a DOCTYPE with an internal
// subset or external id (entity declarations, billion laughs, XXE) and nesting deeper than
// MAX_DEPTH.
import { SaxesParser } from 'saxes';
import { hubError } from '../../platform/errors.js';

export const MAX_DEPTH = 256;
/** One host or result larger than this (serialised) is refused: it would defeat bounded memory. */
export const MAX_CHUNK_CHARS = 64 * 1024 * 1024;

export interface ChunkSpec {
  /** `parent/name`: elements named `name` directly under `parent` become chunks. */
  chunks: string[];
  /** Leaf elements outside chunks whose first text is kept (report timestamps). */
  context?: string[];
}

export interface XmlChunk {
  name: string;
  /** fast-xml-parser object of the element (attributes as `@_x`, text as `#text`). */
  value: Record<string, unknown>;
  /** The report's context texts seen so far (e.g. scan_start). */
  context: ReadonlyMap<string, string>;
  /** Attributes of the open ancestors outside the chunk, by element name. */
  ancestors: ReadonlyMap<string, Record<string, string>>;
  line: number;
}

interface OpenElement {
  name: string;
  obj: Record<string, unknown>;
  text: string[];
}

/** Adds a closed child to its parent the way fast-xml-parser does (second one → array). */
function attach(parent: Record<string, unknown>, name: string, value: unknown): void {
  const had = parent[name];
  if (had === undefined) parent[name] = value;
  else if (Array.isArray(had)) had.push(value);
  else parent[name] = [had, value];
}

function valueOf(e: OpenElement): unknown {
  const text = e.text.join('').trim();
  if (Object.keys(e.obj).length === 0) return text;
  if (text !== '') e.obj['#text'] = text;
  return e.obj;
}

function hostileDoctype(doctype: string): boolean {
  // `<!DOCTYPE nmaprun>` (nmap writes it) is harmless; a subset or an external id is not.
  return /[[\]<]/.test(doctype) || /\b(SYSTEM|PUBLIC)\b/i.test(doctype);
}

/** Parses an async stream of text into chunks. Throws IMPORT_XML_HOSTILE / IMPORT_PARSE_FAILED. */
export async function* xmlChunks(input: AsyncIterable<string>, spec: ChunkSpec): AsyncGenerator<XmlChunk> {
  const wanted = new Set(spec.chunks);
  const contextTags = new Set(spec.context ?? []);
  const context = new Map<string, string>();
  const ancestors = new Map<string, Record<string, string>>();
  const stack: string[] = [];
  const parser = new SaxesParser({ position: true });
  const ready: XmlChunk[] = [];
  let chunk: { name: string; depth: number; open: OpenElement[]; size: number; line: number } | null = null;
  let contextTag: string | null = null;

  const grow = (n: number) => {
    if (!chunk) return;
    chunk.size += n;
    if (chunk.size > MAX_CHUNK_CHARS)
      throw hubError(
        'IMPORT_PARSE_FAILED',
        `<${chunk.name}> at line ${chunk.line} is over ${MAX_CHUNK_CHARS} chars`,
      );
  };
  parser.on('doctype', (doctype) => {
    if (hostileDoctype(doctype))
      throw hubError('IMPORT_XML_HOSTILE', 'XML with a DTD (entity declarations or external id) is refused', {
        line: parser.line,
      });
  });
  parser.on('opentag', (tag) => {
    const attributes = tag.attributes as Record<string, string>;
    stack.push(tag.name);
    if (stack.length > MAX_DEPTH)
      throw hubError('IMPORT_XML_HOSTILE', `XML nested deeper than ${MAX_DEPTH} levels`, {
        line: parser.line,
      });
    const parent = stack[stack.length - 2] ?? '';
    if (!chunk && wanted.has(`${parent}/${tag.name}`)) {
      chunk = { name: tag.name, depth: stack.length, open: [], size: 0, line: parser.line };
    } else if (!chunk) {
      ancestors.set(tag.name, attributes);
      contextTag = contextTags.has(tag.name) && !context.has(tag.name) ? tag.name : null;
    }
    if (chunk) {
      const obj: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(attributes)) obj[`@_${k}`] = v;
      chunk.open.push({ name: tag.name, obj, text: [] });
      grow(tag.name.length + 2);
    }
  });
  const onText = (text: string) => {
    if (chunk) {
      chunk.open[chunk.open.length - 1]?.text.push(text);
      grow(text.length);
    } else if (contextTag && text.trim() !== '') context.set(contextTag, text.trim());
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => {
    contextTag = null;
    if (chunk) {
      const closed = chunk.open.pop();
      const value = closed ? valueOf(closed) : '';
      const parent = chunk.open[chunk.open.length - 1];
      if (parent) attach(parent.obj, tag.name, value);
      else {
        ready.push({
          name: chunk.name,
          value:
            typeof value === 'object' && value !== null
              ? (value as Record<string, unknown>)
              : { '#text': value },
          context,
          ancestors,
          line: chunk.line,
        });
        chunk = null;
      }
    } else {
      ancestors.delete(tag.name);
    }
    stack.pop();
  });

  const feed = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof Error && err.name === 'HubError') throw err;
      throw hubError('IMPORT_PARSE_FAILED', `XML: ${(err as Error).message}`, {
        line: parser.line,
        column: parser.column,
      });
    }
  };
  for await (const text of input) {
    feed(() => parser.write(text));
    while (ready.length > 0) yield ready.shift() as XmlChunk;
  }
  feed(() => parser.close());
  while (ready.length > 0) yield ready.shift() as XmlChunk;
}

/** fast-xml-parser gives one child as an object and several as an array: always an array. */
export function arr(v: unknown): Record<string, unknown>[] {
  if (v === undefined || v === null || v === '') return [];
  const list: unknown[] = Array.isArray(v) ? (v as unknown[]) : [v];
  return list.map((x) =>
    typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : { '#text': x },
  );
}

/** Text of an element that may carry attributes or mixed content. */
export function txt(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return txt(v[0]);
  const t = (v as Record<string, unknown>)['#text'];
  return typeof t === 'string' || typeof t === 'number' ? String(t) : '';
}

export const attr = (v: Record<string, unknown> | undefined, name: string): string => {
  const a = v?.[`@_${name}`];
  return typeof a === 'string' || typeof a === 'number' ? String(a) : '';
};
