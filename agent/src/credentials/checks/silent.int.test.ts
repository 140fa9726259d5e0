// Every check against a listener that accepts and never speaks: no finding, one attempt only, the
// deadline fires, and the check's socket is closed afterwards (no leaked connection keeps a scan
// or the agent busy).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { SERVICE_CHECKS } from '../index.js';
import { runChecks } from '../run.js';
import { captureLog, parsed } from '../testing/captureLog.js';
import { startSilentListener } from '../testing/fakeRedis.js';

for (const check of SERVICE_CHECKS) {
  test(`${check.service}: a silent listener gives no finding and the socket is closed`, async () => {
    const peer = await startSilentListener();
    after(peer.close);
    const { log, lines } = captureLog();
    const service = check.nmapServices[0] ?? check.service;
    const results = await runChecks([check], [{ host: '127.0.0.1', port: peer.port, service }], {
      perHostIntervalMs: 0,
      timeoutMs: 300,
      logger: log,
    });
    assert.deepEqual(results, []);
    assert.equal(peer.connections(), 1, 'stopped after the first silent attempt');
    const stopped = parsed(lines).find((entry) => entry['msg'] === 'credential check stopped');
    assert.equal(stopped?.['reason'], 'unreachable');
    for (let i = 0; i < 500 && peer.openSockets() > 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    assert.equal(peer.openSockets(), 0, 'the check closed its socket');
  });
}
