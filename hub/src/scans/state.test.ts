import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scanState } from './state.js';

const t = (state: string, errorCode: string | null = null) => ({ state, errorCode });

describe('scan state', () => {
  it('is queued before any run and cancelled when cancelled before one', () => {
    assert.equal(scanState([], false), 'queued');
    assert.equal(scanState([], true), 'cancelled');
  });
  it('is queued while no agent has accepted, running once one has', () => {
    assert.equal(scanState([t('queued'), t('sent')], false), 'queued');
    assert.equal(scanState([t('sent'), t('running')], false), 'running');
    assert.equal(scanState([t('succeeded'), t('sent')], false), 'running');
  });
  it('folds terminal outcomes: all alike, or partial', () => {
    assert.equal(scanState([t('succeeded'), t('succeeded')], false), 'succeeded');
    assert.equal(scanState([t('failed', 'NMAP_FAILED'), t('refused', 'SCOPE_VIOLATION')], false), 'failed');
    assert.equal(scanState([t('cancelled', 'CANCELLED')], true), 'cancelled');
    assert.equal(scanState([t('succeeded'), t('failed')], false), 'partial');
    assert.equal(scanState([t('cancelled', 'WINDOW_ENDED')], false), 'partial');
    assert.equal(scanState([t('failed', 'TIMEOUT')], false), 'partial');
  });
});
