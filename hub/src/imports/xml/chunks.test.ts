// Hostile and broken XML is refused by the streaming chunker before any chunk is handed out.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isHubError } from '../../platform/errors.js';
import { MAX_DEPTH, xmlChunks } from './chunks.js';
import { BILLION_LAUGHS, deepNesting, EXTERNAL_ENTITY } from './testing-hostile.js';

async function* pieces(text: string, size = 7): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}
async function run(text: string) {
  const out = [];
  for await (const c of xmlChunks(pieces(text), { chunks: ['r/h'], context: ['when'] })) out.push(c);
  return out;
}
const code = (c: string) => (err: unknown) => isHubError(err) && err.code === c;

describe('xmlChunks', () => {
  it('cuts chunks, decodes entities once and keeps context', async () => {
    const chunks = await run(
      '<?xml version="1.0"?><!DOCTYPE r><r v="1"><when>t0</when><h id="a&amp;b"><x>1 &lt; 2 &amp;amp;</x></h><h><h>nested</h></h></r>',
    );
    assert.equal(chunks.length, 2);
    assert.equal(chunks[0]?.value['@_id'], 'a&b');
    assert.equal(chunks[0]?.value['x'], '1 < 2 &amp;');
    assert.equal(chunks[0]?.context.get('when'), 't0');
    assert.deepEqual(chunks[1]?.value['h'], 'nested');
  });

  it('refuses billion laughs (entity declarations)', async () => {
    await assert.rejects(run(BILLION_LAUGHS), code('IMPORT_XML_HOSTILE'));
  });

  it('refuses an external entity', async () => {
    await assert.rejects(run(EXTERNAL_ENTITY), code('IMPORT_XML_HOSTILE'));
    await assert.rejects(run('<!DOCTYPE r SYSTEM "http://127.0.0.1/x.dtd"><r/>'), code('IMPORT_XML_HOSTILE'));
  });

  it(`refuses nesting deeper than ${MAX_DEPTH} levels (1000 here)`, async () => {
    await assert.rejects(run(deepNesting(1000)), code('IMPORT_XML_HOSTILE'));
    assert.equal((await run(deepNesting(MAX_DEPTH - 3))).length, 1);
  });

  it('reports a syntax error with its position', async () => {
    await assert.rejects(run('<r>\n<h>\n<x></y></h></r>'), (err: unknown) => {
      assert.ok(code('IMPORT_PARSE_FAILED')(err));
      assert.equal((err as { details: { line: number } }).details.line, 3);
      return true;
    });
    await assert.rejects(run('<r><h>unterminated'), code('IMPORT_PARSE_FAILED'));
    await assert.rejects(run('<r><h>&undefined;</h></r>'), code('IMPORT_PARSE_FAILED'));
  });
});
