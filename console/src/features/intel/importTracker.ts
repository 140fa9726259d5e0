/**
 * Follows an intel import job to its end: polls GET /intel/imports/:id every `intervalMs` while
 * the job is queued or running, reports each state, and stops on succeeded / failed, on `stop()`
 * or after `maxErrors` consecutive failed polls (the hub went away) with the last error.
 */
import { reactive } from 'vue';
import type { IntelImport } from './api';

export interface ImportTrackerOptions {
  fetchImport: (id: string, signal: AbortSignal) => Promise<IntelImport>;
  intervalMs?: number;
  maxErrors?: number;
}

export interface ImportTrackerState {
  job: IntelImport | null;
  /** True until the job reached a final state or tracking gave up. */
  active: boolean;
  error: unknown;
}

export const isFinal = (job: IntelImport) => job.state === 'succeeded' || job.state === 'failed';

export function trackImport(first: IntelImport, o: ImportTrackerOptions) {
  const interval = o.intervalMs ?? 1000;
  const maxErrors = o.maxErrors ?? 5;
  const state = reactive<ImportTrackerState>({ job: first, active: !isFinal(first), error: null });
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let errors = 0;
  let settle: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    settle = resolve;
  });

  function finish(): void {
    state.active = false;
    clearTimeout(timer);
    settle();
  }
  async function poll(): Promise<void> {
    try {
      const job = await o.fetchImport(first.id, controller.signal);
      if (controller.signal.aborted) return;
      errors = 0;
      state.error = null;
      // Progress never goes backwards on screen, even if an older answer arrives late.
      if (state.job && job.state === state.job.state && job.progress < state.job.progress)
        job.progress = state.job.progress;
      state.job = job;
      if (isFinal(job)) {
        finish();
        return;
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      state.error = error;
      if (++errors >= maxErrors) {
        finish();
        return;
      }
    }
    timer = setTimeout(() => void poll(), interval);
  }

  if (state.active) timer = setTimeout(() => void poll(), interval);
  else settle();

  return {
    state,
    done,
    stop(): void {
      controller.abort();
      finish();
    },
  };
}
export type ImportTracker = ReturnType<typeof trackImport>;
