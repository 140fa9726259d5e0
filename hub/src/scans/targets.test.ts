import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { firstOutOfScope, insideScope, parseAddress, parseScopeCidr, parseTarget } from './targets.js';

describe('scan targets', () => {
  it('parses addresses of both families', () => {
    assert.deepEqual(parseAddress('127.0.0.1'), { family: 4, value: 0x7f000001n });
    assert.deepEqual(parseAddress('::1'), { family: 6, value: 1n });
    assert.deepEqual(parseAddress('::ffff:127.0.0.1'), { family: 6, value: 0xffff7f000001n });
    assert.equal(parseAddress('fe80::1%eth0'), null);
  });

  it('accepts addresses, CIDRs and ranges; refuses hostnames and option-looking strings', () => {
    for (const ok of ['127.0.0.1', '127.0.0.0/8', '127.0.0.1-127.0.0.9', '::1', '::1/128', '::1-::5']) {
      assert.notEqual(parseTarget(ok), null, ok);
    }
    for (const bad of [
      'localhost',
      '-oN/tmp/x',
      '--script=evil',
      '127.0.0.1 -oX x',
      '127.0.0.9-127.0.0.1',
      '127.0.0.1-::1',
      '127.0.0.0/33',
      '::/129',
      '127.0.0.1-9',
      ' 127.0.0.1',
      '',
    ]) {
      assert.equal(parseTarget(bad), null, bad);
    }
  });

  it('computes CIDR intervals from the network address', () => {
    const iv = parseTarget('127.0.0.5/30');
    assert.deepEqual(iv, { family: 4, lo: 0x7f000004n, hi: 0x7f000007n });
    assert.equal(parseScopeCidr('127.0.0.5/30'), null, 'scope entries must have zero host bits');
    assert.equal(parseScopeCidr('127.0.0.1'), null, 'scope entries are CIDRs');
  });

  it('checks containment across adjacent scope entries and families', () => {
    const scope = ['127.0.0.0/25', '127.0.0.128/25'].map((s) => parseScopeCidr(s)!);
    assert.equal(insideScope(parseTarget('127.0.0.100-127.0.0.200')!, scope), true);
    assert.equal(insideScope(parseTarget('127.0.0.0/24')!, scope), true);
    assert.equal(insideScope(parseTarget('127.0.0.0/23')!, scope), false);
    assert.equal(insideScope(parseTarget('::1')!, scope), false);
    assert.equal(insideScope(parseTarget('::1')!, [parseScopeCidr('::1/128')!]), true);
  });

  it('names the first target outside the scope', () => {
    assert.equal(firstOutOfScope(['127.0.0.1', '127.0.0.1/32'], ['127.0.0.1/32']), null);
    assert.equal(
      firstOutOfScope(['127.0.0.1', '127.0.0.1-127.0.0.2'], ['127.0.0.1/32']),
      '127.0.0.1-127.0.0.2',
    );
    assert.equal(firstOutOfScope(['::1'], ['127.0.0.1/32']), '::1');
  });
});
