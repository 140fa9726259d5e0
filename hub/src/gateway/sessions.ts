// Live authenticated agent connections on this node, by agent id.
export interface LiveSession {
  readonly agentId: string;
  readonly tenantId: string;
  closeWith(code: number, reason: string): void;
  /** Resolves once the connection has stopped committing (after close). */
  drained(): Promise<void>;
  deliverTasks(): void;
  shutdown(): Promise<void>;
}

export class SessionRegistry {
  private readonly byAgent = new Map<string, LiveSession>();

  get(agentId: string): LiveSession | undefined {
    return this.byAgent.get(agentId);
  }
  /** Registers `s`, returning the older session of the same agent it replaces, if any. */
  replace(s: LiveSession): LiveSession | undefined {
    const old = this.byAgent.get(s.agentId);
    this.byAgent.set(s.agentId, s);
    return old === s ? undefined : old;
  }
  /** Removes `s` only if it is still the registered session of its agent. */
  remove(s: LiveSession): boolean {
    if (this.byAgent.get(s.agentId) !== s) return false;
    this.byAgent.delete(s.agentId);
    return true;
  }
  agentIds(): string[] {
    return [...this.byAgent.keys()];
  }
  all(): LiveSession[] {
    return [...this.byAgent.values()];
  }
}
