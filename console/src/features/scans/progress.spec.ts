import { describe, expect, it } from 'vitest';
import { watchScanProgress, type EventSourceLike } from './progress';

/** A scripted event source: the test plays the hub's side of the stream. */
class ScriptedSource implements EventSourceLike {
  readyState = 1;
  closed = false;
  onerror: ((event: Event) => void) | null = null;
  private listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data: string): void {
    for (const l of this.listeners.get(type) ?? []) l(new MessageEvent(type, { data }));
  }
}

const scan = (percent: number, state = 'running') => ({
  id: 's1',
  state,
  cancelRequested: false,
  agentIds: ['a1'],
  targets: ['127.0.0.1'],
  profile: 'service',
  schedule: null,
  runCount: 1,
  pendingRun: false,
  progress: { percent, etaAt: null, tasks: [] },
  counts: { hostsUp: 1, hostsDown: 0, openPorts: 2, weakCredentials: 0, hostsSeen: 1 },
  createdAt: '2026-11-25T12:00:00.000Z',
  updatedAt: '2026-11-25T12:00:01.000Z',
});

describe('scan progress over EventSource', () => {
  it('applies each scan event, names the tenant in the URL and closes on end', () => {
    let source: ScriptedSource | null = null;
    let ended = 0;
    const { state } = watchScanProgress(
      's1',
      't 1',
      () => ended++,
      (url) => (source = new ScriptedSource(url)),
    );
    const s = source as unknown as ScriptedSource;
    expect(s.url).toBe('/api/v1/scans/s1/events?tenant=t%201');
    s.emit('scan', JSON.stringify(scan(40)));
    expect(state.scan?.progress.percent).toBe(40);
    s.emit('scan', JSON.stringify(scan(100, 'succeeded')));
    expect(state.scan?.state).toBe('succeeded');
    expect(state.live).toBe(true);
    s.emit('end', '{}');
    expect(state).toMatchObject({ live: false, ended: true, error: null });
    expect(s.closed).toBe(true);
    expect(ended).toBe(1);
  });

  it('reports a malformed event and keeps the last good state', () => {
    let source: ScriptedSource | null = null;
    const { state } = watchScanProgress('s1', null, undefined, (url) => (source = new ScriptedSource(url)));
    const s = source as unknown as ScriptedSource;
    expect(s.url).toBe('/api/v1/scans/s1/events');
    s.emit('scan', JSON.stringify(scan(10)));
    s.emit('scan', '{not json');
    expect(state.error).toMatch(/^UNEXPECTED_RESPONSE/);
    s.emit('scan', JSON.stringify({ ...scan(20), progress: 'x' }));
    expect(state.scan?.progress.percent).toBe(10);
    s.emit('scan', JSON.stringify(scan(30)));
    expect(state.error).toBeNull();
  });

  it('stops when the browser gives up reconnecting, not while it retries', () => {
    let source: ScriptedSource | null = null;
    const { state } = watchScanProgress('s1', null, undefined, (url) => (source = new ScriptedSource(url)));
    const s = source as unknown as ScriptedSource;
    s.readyState = 0; // CONNECTING: a retry is under way
    s.onerror?.(new Event('error'));
    expect(state.live).toBe(true);
    s.readyState = 2;
    s.onerror?.(new Event('error'));
    expect(state.live).toBe(false);
    expect(state.error).toMatch(/^HUB_UNREACHABLE/);
  });
});
