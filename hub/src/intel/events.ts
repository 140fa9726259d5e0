// In-process "intel changed" events. Listeners run after the import has committed; a failing
// listener is logged and never fails the import or the other listeners.
import type { Logger } from 'pino';
import type { IntelChangedListener, IntelEvents } from './store-api.js';

export class IntelEventHub implements IntelEvents {
  private readonly listeners = new Set<IntelChangedListener>();

  constructor(private readonly log: Logger) {}

  onIntelChanged(listener: IntelChangedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async emit(importId: string, changedIds: readonly string[]): Promise<void> {
    for (const listener of [...this.listeners]) {
      try {
        await listener(importId, changedIds);
      } catch (err) {
        this.log.error({ err, importId }, 'intel-changed listener failed');
      }
    }
  }
}
