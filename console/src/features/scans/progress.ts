/**
 * Live scan progress: the hub pushes a `scan` event (the scan view as JSON) whenever it changes and
 * `end` once the scan is over (hub/src/http/sse.ts). The stream is closed on `end`, on `stop()`, and
 * when the browser gives up reconnecting; a malformed event is reported, never applied.
 */
import { reactive } from 'vue';
import { scanSchema, type Scan } from './api';

/** The part of EventSource used here, so tests can drive it with a scripted source. */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
  onerror: ((event: Event) => void) | null;
}
export type EventSourceFactory = (url: string) => EventSourceLike;

const CLOSED = 2;

export interface ScanProgressState {
  scan: Scan | null;
  /** Streaming until the hub says `end` (or the watch is stopped). */
  live: boolean;
  ended: boolean;
  error: string | null;
}

export function watchScanProgress(
  scanId: string,
  tenantId: string | null,
  onEnd: () => void = () => undefined,
  open: EventSourceFactory = (url) => new EventSource(url, { withCredentials: true }),
): { state: ScanProgressState; stop: () => void } {
  const state = reactive<ScanProgressState>({ scan: null, live: true, ended: false, error: null });
  // EventSource cannot send the tenant header: the hub accepts ?tenant= on GETs instead.
  const query = tenantId ? `?tenant=${encodeURIComponent(tenantId)}` : '';
  const source = open(`/api/v1/scans/${encodeURIComponent(scanId)}/events${query}`);
  const stop = () => {
    source.close();
    state.live = false;
  };
  source.addEventListener('scan', (event) => {
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch {
      state.error = 'UNEXPECTED_RESPONSE: scan event is not JSON';
      return;
    }
    const parsed = scanSchema.safeParse(payload);
    if (!parsed.success) {
      state.error = 'UNEXPECTED_RESPONSE: scan event has an unexpected shape';
      return;
    }
    state.scan = parsed.data;
    state.error = null;
  });
  source.addEventListener('end', () => {
    state.ended = true;
    stop();
    onEnd();
  });
  source.onerror = () => {
    // While CONNECTING the browser retries by itself; CLOSED means it gave up (e.g. a 404).
    if (source.readyState === CLOSED && !state.ended) {
      state.error = 'HUB_UNREACHABLE: the progress stream closed';
      stop();
    }
  };
  return { state, stop };
}
