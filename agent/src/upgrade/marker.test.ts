import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decideAtStart,
  decideOnConnected,
  MAX_UNCONFIRMED_STARTS,
  readMarker,
  writeMarker,
  type UpgradeMarker,
} from './marker.js';

const marker = (over: Partial<UpgradeMarker> = {}): UpgradeMarker => ({
  taskId: 't1',
  from: '0.1.0',
  to: '0.2.0',
  exe: '/opt/wp/watchpost-agent',
  prev: '/opt/wp/watchpost-agent.prev',
  deadlineMs: 10_000,
  confirmTimeoutS: 10,
  starts: 0,
  state: 'pending',
  ...over,
});

test('no marker: nothing to do', () => {
  assert.deepEqual(decideAtStart(undefined, '0.1.0', 0), { action: 'none', dropMarker: false });
});

test('the new build within its deadline counts a start and waits for the hub', () => {
  const d = decideAtStart(marker(), '0.2.0', 4_000);
  assert.equal(d.action, 'await-confirm');
  assert.ok(d.action === 'await-confirm');
  assert.equal(d.marker.starts, 1);
  assert.equal(d.timeoutMs, 6_000);
});

test('the new build past its deadline rolls back', () => {
  assert.deepEqual(decideAtStart(marker(), '0.2.0', 10_000), {
    action: 'rollback',
    marker: marker(),
    reason: 'deadline',
  });
});

test('a new build that keeps crashing before confirming rolls back', () => {
  const m = marker({ starts: MAX_UNCONFIRMED_STARTS });
  assert.deepEqual(decideAtStart(m, '0.2.0', 1_000), { action: 'rollback', marker: m, reason: 'crash-loop' });
  assert.equal(
    decideAtStart(marker({ starts: MAX_UNCONFIRMED_STARTS - 1 }), '0.2.0', 1_000).action,
    'await-confirm',
  );
});

test('the old build still running before its restart keeps the marker', () => {
  assert.deepEqual(decideAtStart(marker(), '0.1.0', 99_999), { action: 'none', dropMarker: false });
});

test('a marker naming other versions is dropped', () => {
  assert.deepEqual(decideAtStart(marker(), '0.9.0', 0), { action: 'none', dropMarker: true });
  assert.deepEqual(decideAtStart(marker({ state: 'rolled-back' }), '0.2.0', 0), {
    action: 'none',
    dropMarker: true,
  });
});

test('after a rollback the previous build reports it once connected', () => {
  const m = marker({ state: 'rolled-back' });
  assert.deepEqual(decideAtStart(m, '0.1.0', 50_000), { action: 'report-rollback', marker: m });
  assert.equal(decideOnConnected(m, '0.1.0'), 'rolled-back');
});

test('connected: the new build completes, others report nothing', () => {
  assert.equal(decideOnConnected(marker(), '0.2.0'), 'completed');
  assert.equal(decideOnConnected(marker(), '0.1.0'), 'none');
  assert.equal(decideOnConnected(undefined, '0.2.0'), 'none');
});

test('marker file round trip; unreadable or foreign content reads as no marker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-marker-'));
  try {
    const p = join(dir, 'upgrade.json');
    assert.equal(readMarker(p), undefined);
    writeMarker(p, marker());
    assert.deepEqual(readMarker(p), marker());
    writeFileSync(p, '{"taskId": 1}');
    assert.equal(readMarker(p), undefined);
    writeFileSync(p, 'not json');
    assert.equal(readMarker(p), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
