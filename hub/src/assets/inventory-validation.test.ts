import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toLong } from '@watchpost/proto';
import { checkInventoryReport } from './inventory-validation.js';
import { ALL_SECTIONS, inventoryReport, sampleParts, syntheticPackages } from './testing-reports.js';

describe('checkInventoryReport', () => {
  it('accepts a realistic full report', () => {
    assert.equal(checkInventoryReport(inventoryReport(sampleParts(), ALL_SECTIONS)), null);
  });

  it('refuses lists over the documented limits with LIMIT_EXCEEDED', () => {
    const tooMany = inventoryReport({ packages: syntheticPackages(100_001) }, ['packages']);
    assert.equal(checkInventoryReport(tooMany)?.code, 'LIMIT_EXCEEDED');
    const listeners = Array.from({ length: 10_001 }, (_, i) => ({
      protocol: 'tcp',
      family: 4,
      address: '127.0.0.1',
      port: i % 65_535,
    }));
    assert.match(
      checkInventoryReport(inventoryReport({ listeners }, ['listeners']))?.reason ?? '',
      /listeners/,
    );
  });

  it('refuses values the store cannot hold with INVALID_MESSAGE', () => {
    const cases = [
      { collectedAtMs: toLong(0, false) },
      { listeners: [{ protocol: 'tcp', family: 4, address: '127.0.0.1', port: 65_536 }] },
      { listeners: [{ protocol: 'tcp', family: 5, address: '127.0.0.1', port: 22 }] },
      { packages: [{ name: '', version: '1' }] },
      { accounts: [{ name: 'x', passwordChangedAtMs: toLong(9e15, false) }] },
    ];
    for (const parts of cases) {
      const r = inventoryReport(parts, ['listeners', 'packages', 'accounts']);
      assert.equal(checkInventoryReport(r)?.code, 'INVALID_MESSAGE', JSON.stringify(parts));
    }
    const both = inventoryReport({}, ['packages'], ['packages']);
    assert.match(checkInventoryReport(both)?.reason ?? '', /both/);
  });
});
