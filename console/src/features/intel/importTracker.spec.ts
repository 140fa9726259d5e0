import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { IntelImport } from './api';
import { trackImport } from './importTracker';

const job = (over: Partial<IntelImport>): IntelImport => ({
  id: 'imp-1',
  seq: 1,
  format: 'kev',
  fileName: 'kev.json',
  state: 'running',
  bytesTotal: 1000,
  bytesRead: 0,
  progress: 0,
  counts: { new: 0, updated: 0, unchanged: 0, failed: 0 },
  error: null,
  startedAt: '2026-11-26T00:00:00.000Z',
  finishedAt: null,
  ...over,
});

/** A hub answering the given jobs in order (the last one repeats). */
function answers(...seq: (IntelImport | Error)[]) {
  const calls: string[] = [];
  const fetchImport = (id: string) => {
    calls.push(id);
    const next = seq.length > 1 ? seq.shift() : seq[0];
    return next instanceof Error
      ? Promise.reject(next)
      : Promise.resolve(structuredClone(next as IntelImport));
  };
  return { calls, fetchImport };
}

describe('intel import progress tracking', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test('polls while running, shows progress, stops at succeeded', async () => {
    const hub = answers(
      job({ progress: 40 }),
      job({ progress: 90 }),
      job({ state: 'succeeded', progress: 100 }),
    );
    const t = trackImport(job({ state: 'queued' }), { fetchImport: hub.fetchImport, intervalMs: 500 });
    expect(t.state.active).toBe(true);
    await vi.advanceTimersByTimeAsync(500);
    expect(t.state.job?.progress).toBe(40);
    await vi.advanceTimersByTimeAsync(500);
    expect(t.state.job?.progress).toBe(90);
    await vi.advanceTimersByTimeAsync(500);
    await t.done;
    expect(t.state).toMatchObject({ active: false, error: null, job: { state: 'succeeded', progress: 100 } });
    await vi.advanceTimersByTimeAsync(5000);
    expect(hub.calls).toHaveLength(3);
  });

  test('a failed job ends tracking with the job error visible', async () => {
    const failed = job({ state: 'failed', error: { code: 'INTEL_FORMAT_UNKNOWN', message: 'bad file' } });
    const t = trackImport(job({}), { fetchImport: answers(failed).fetchImport, intervalMs: 100 });
    await vi.advanceTimersByTimeAsync(100);
    await t.done;
    expect(t.state.active).toBe(false);
    expect(t.state.job?.error?.code).toBe('INTEL_FORMAT_UNKNOWN');
  });

  test('progress never goes backwards; transient errors are retried, then it gives up', async () => {
    const down = new Error('hub unreachable');
    const hub = answers(job({ progress: 60 }), job({ progress: 30 }), down, job({ progress: 70 }), down);
    const t = trackImport(job({}), { fetchImport: hub.fetchImport, intervalMs: 100, maxErrors: 3 });
    await vi.advanceTimersByTimeAsync(200);
    expect(t.state.job?.progress).toBe(60);
    await vi.advanceTimersByTimeAsync(100);
    expect(t.state.error).toBe(down);
    expect(t.state.active).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(t.state).toMatchObject({ error: null, job: { progress: 70 } });
    await vi.advanceTimersByTimeAsync(300);
    await t.done;
    expect(t.state).toMatchObject({ active: false, error: down });
  });

  test('an already finished job is not polled; stop() cancels polling', async () => {
    const hub = answers(job({}));
    const done = trackImport(job({ state: 'succeeded', progress: 100 }), { fetchImport: hub.fetchImport });
    await done.done;
    const running = trackImport(job({}), { fetchImport: hub.fetchImport, intervalMs: 100 });
    running.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(hub.calls).toHaveLength(0);
    expect(running.state.active).toBe(false);
  });
});
