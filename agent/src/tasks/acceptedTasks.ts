// Task ids this agent has accepted, kept durably for replay protection. Bounded: only the most
// recent MAX_ACCEPTED ids are kept (older tasks have long expired).
import { jsonValue, orderKey, type Store, type StoreOp } from '../state/store.js';

export const MAX_ACCEPTED = 100_000;

export class AcceptedTasks {
  private readonly ids = new Set<string>();
  private nextOrder = 1;

  private constructor(private readonly store: Store) {}

  static async open(store: Store): Promise<AcceptedTasks> {
    const accepted = new AcceptedTasks(store);
    for await (const [key, value] of store.tasksOrder.iterator()) {
      const order = Number(key);
      accepted.ids.add(value.toString('utf8'));
      accepted.nextOrder = order + 1;
    }
    return accepted;
  }

  has(taskId: string): boolean {
    return this.ids.has(taskId);
  }

  get size(): number {
    return this.ids.size;
  }

  /** Ops recording the acceptance (written in the same batch as the ACCEPTED progress). */
  acceptOps(taskId: string): StoreOp[] {
    const order = this.nextOrder++;
    this.ids.add(taskId);
    const ops: StoreOp[] = [
      {
        type: 'put',
        sub: this.store.tasksAccepted,
        key: taskId,
        value: jsonValue({ order, at: Date.now() }),
      },
      { type: 'put', sub: this.store.tasksOrder, key: orderKey(order), value: Buffer.from(taskId, 'utf8') },
    ];
    return ops;
  }

  /** Drops the oldest ids beyond the bound. */
  async prune(max: number = MAX_ACCEPTED): Promise<void> {
    const excess = this.ids.size - max;
    if (excess <= 0) return;
    const ops: StoreOp[] = [];
    for await (const [key, value] of this.store.tasksOrder.iterator({ limit: excess })) {
      const id = value.toString('utf8');
      this.ids.delete(id);
      ops.push(
        { type: 'del', sub: this.store.tasksOrder, key },
        { type: 'del', sub: this.store.tasksAccepted, key: id },
      );
    }
    const batch = this.store.db.batch();
    for (const op of ops) batch.del(op.key, { sublevel: op.sub });
    await batch.write();
  }
}
