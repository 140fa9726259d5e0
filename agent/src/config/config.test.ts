import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAgentError } from '../errors.js';
import { loadConfig, parseConfig } from './config.js';

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(isAgentError(err));
    assert.equal(err.code, 'CONFIG_INVALID');
    return err.message;
  }
  assert.fail('expected CONFIG_INVALID');
}

test('defaults', () => {
  const c = parseConfig(undefined, {});
  assert.deepEqual(c.scope, ['127.0.0.1/32']);
  assert.equal(c.outboxBudgetBytes, 268_435_456);
  assert.equal(c.inventoryIntervalS, 3600);
  assert.equal(c.heartbeatIntervalS, undefined);
  assert.equal(c.backoffMaxMs, 60_000);
  assert.equal(c.logLevel, 'info');
});

test('unknown keys are rejected with the key named', () => {
  assert.match(
    configError(() => parseConfig({ outboxBudget: 5 }, {})),
    /unknown key "outboxBudget"/,
  );
});

test('bad values name the key', () => {
  assert.match(
    configError(() => parseConfig({ scope: ['127.0.0.1/99'] }, {})),
    /"scope\.0"/,
  );
  assert.match(
    configError(() => parseConfig({ outboxBudgetBytes: 12 }, {})),
    /"outboxBudgetBytes"/,
  );
  assert.match(
    configError(() => parseConfig({ inventoryIntervalS: 'hourly' }, {})),
    /"inventoryIntervalS"/,
  );
  assert.match(
    configError(() => parseConfig([], {})),
    /expected a JSON object/,
  );
});

test('env overrides the file; a bad env value names the variable', () => {
  const c = parseConfig(
    { inventoryIntervalS: 60 },
    {
      WATCHPOST_AGENT_INVENTORY_INTERVAL_S: '30',
      WATCHPOST_AGENT_BACKOFF_MAX_MS: '200',
      WATCHPOST_AGENT_OUTBOX_BUDGET_BYTES: '1048576',
      WATCHPOST_AGENT_LOG_LEVEL: 'debug',
    },
  );
  assert.equal(c.inventoryIntervalS, 30);
  assert.equal(c.backoffMaxMs, 200);
  assert.equal(c.outboxBudgetBytes, 1_048_576);
  assert.equal(c.logLevel, 'debug');
  assert.match(
    configError(() => parseConfig({}, { WATCHPOST_AGENT_OUTBOX_BUDGET_BYTES: '1GB' })),
    /WATCHPOST_AGENT_OUTBOX_BUDGET_BYTES/,
  );
  assert.match(
    configError(() => parseConfig({}, { WATCHPOST_AGENT_LOG_LEVEL: 'loud' })),
    /"logLevel"/,
  );
});

test('agent.json file: missing is fine, invalid JSON fails with the path', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'agent.json');
  assert.equal(loadConfig(path, {}).inventoryIntervalS, 3600);
  writeFileSync(path, '{"inventoryIntervalS": 120}');
  assert.equal(loadConfig(path, {}).inventoryIntervalS, 120);
  writeFileSync(path, '{nope');
  assert.match(
    configError(() => loadConfig(path, {})),
    /agent\.json: not valid JSON/,
  );
});
