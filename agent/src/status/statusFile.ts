// status.json: what `run` tells `status` (another process) — rewritten atomically every few
// seconds (temp file + rename), so a reader never sees a torn file.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../identity/identity.js';

export const statusSchema = z.object({
  connected: z.boolean(),
  hub: z.string(),
  agentId: z.string(),
  lastAckSeq: z.number(),
  lastAckAt: z.string().nullable(),
  outboxMessages: z.number(),
  outboxBytes: z.number(),
  outboxBudgetBytes: z.number(),
  collectionPaused: z.boolean(),
  appliedPolicies: z.array(z.object({ policyId: z.string(), version: z.number() })),
  scope: z.array(z.string()),
  version: z.string(),
  pid: z.number(),
  updatedAt: z.string(),
});
export type AgentStatus = z.infer<typeof statusSchema>;

export function writeStatus(path: string, status: AgentStatus): void {
  writeFileAtomic(path, `${JSON.stringify(status, null, 2)}\n`, 0o644);
}

export function readStatus(path: string): AgentStatus | undefined {
  try {
    const parsed = statusSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
