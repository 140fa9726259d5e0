import { describe, expect, it } from 'vitest';
import { checkTargets, splitTargets } from './scope';

// Documentation ranges (RFC 5737 / RFC 3849): data only, never contacted.
describe('scan scope check', () => {
  const scope = ['127.0.0.1/32', '192.0.2.0/25', '192.0.2.128/25', '2001:db8::/64'];
  it('judges addresses, CIDRs and ranges like the hub', () => {
    const verdicts = checkTargets(
      [
        '127.0.0.1',
        '127.0.0.2',
        '192.0.2.0/24',
        '192.0.2.120-192.0.2.130',
        '192.0.2.0/23',
        '2001:db8::1',
        '2001:db9::1',
        'example.org',
        '-sV',
        '192.0.2.0/33',
      ],
      scope,
    ).map((v) => v.verdict);
    expect(verdicts).toEqual([
      'inside',
      'outside',
      'inside',
      'inside',
      'outside',
      'inside',
      'outside',
      'invalid',
      'invalid',
      'invalid',
    ]);
  });
  it('splits targets typed one per line or comma separated', () => {
    expect(splitTargets(' 127.0.0.1,\n192.0.2.0/24  2001:db8::1 ')).toEqual([
      '127.0.0.1',
      '192.0.2.0/24',
      '2001:db8::1',
    ]);
  });
});
