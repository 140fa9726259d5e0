import { requestJson } from '../../api/http';
import { type Health, healthSchema } from '../../api/types';

export interface HealthCheck {
  health: Health;
  /** Round trip as measured by the browser, in milliseconds. */
  latencyMs: number;
  checkedAt: Date;
}

export async function checkHealth(signal?: AbortSignal): Promise<HealthCheck> {
  const started = performance.now();
  const health = await requestJson('/healthz', healthSchema, signal === undefined ? {} : { signal });
  return { health, latencyMs: Math.round(performance.now() - started), checkedAt: new Date() };
}
