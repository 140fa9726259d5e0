/** One abortable load with loading / failure state: what every data panel of the console repeats. */
import { onBeforeUnmount, ref, type Ref } from 'vue';
import { ApiError } from './http';

export function useLoad<T>(fetcher: (signal: AbortSignal) => Promise<T>): {
  data: Ref<T | null>;
  loading: Ref<boolean>;
  failure: Ref<ApiError | null>;
  load: () => Promise<void>;
} {
  const data = ref<T | null>(null) as Ref<T | null>;
  const loading = ref(false);
  const failure = ref<ApiError | null>(null);
  let controller: AbortController | null = null;
  async function load(): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    loading.value = true;
    try {
      data.value = await fetcher(current.signal);
      failure.value = null;
    } catch (error) {
      if (current.signal.aborted) return;
      failure.value =
        error instanceof ApiError ? error : new ApiError('UNEXPECTED_RESPONSE', String(error), 0);
    } finally {
      if (controller === current) loading.value = false;
    }
  }
  onBeforeUnmount(() => controller?.abort());
  return { data, loading, failure, load };
}
