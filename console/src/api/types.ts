/**
 * The hub's REST contract as the console reads it — defined once here, imported everywhere.
 * Schemas validate what the hub answers (the edge); the types are inferred from them.
 * Resources whose pages do not exist yet (assets, findings, scans…) are added with those pages.
 */
import * as z from 'zod/mini';

/** `{code, message}` with a stable UPPER_SNAKE code, on every non-2xx answer. */
export const apiErrorBodySchema = z.object({ code: z.string(), message: z.string() });
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

/** GET /healthz (no auth). */
export const healthSchema = z.object({ status: z.string() });
export type Health = z.infer<typeof healthSchema>;

/** uint64 counters may arrive as a JSON number or, past 2^53, as a decimal string. */
const counterSchema = z.union([z.number(), z.string()]);

export const agentSchema = z.object({
  id: z.string(),
  hostname: z.nullable(z.string()),
  version: z.nullable(z.string()),
  online: z.boolean(),
  lastSeenAt: z.nullable(z.string()),
  lastSeq: counterSchema,
  assetId: z.nullable(z.string()),
  revoked: z.boolean(),
  enrolledAt: z.string(),
});
export type Agent = z.infer<typeof agentSchema>;

/** GET /api/v1/agents */
export const agentListSchema = z.object({ items: z.array(agentSchema) });
export type AgentList = z.infer<typeof agentListSchema>;

export const taskKinds = ['collect_inventory', 'pipeline_probe'] as const;
export type TaskKind = (typeof taskKinds)[number];

export const taskStates = [
  'queued',
  'sent',
  'accepted',
  'running',
  'succeeded',
  'failed',
  'refused',
  'cancelled',
  'expired',
] as const;
export type TaskState = (typeof taskStates)[number];

/** POST /api/v1/agents/:id/tasks body. */
export type CreateTaskRequest =
  | { kind: 'collect_inventory'; params: { full: boolean } }
  | { kind: 'pipeline_probe'; params: { count: number; payloadBytes: number } };

/** GET /api/v1/tasks/:id and the 201 answer of task creation. */
export const taskSchema = z.object({
  id: z.string(),
  agentId: z.string(),
  kind: z.enum(taskKinds),
  params: z.record(z.string(), z.unknown()),
  state: z.enum(taskStates),
  percent: z.nullable(z.number()),
  progressCount: z.nullable(counterSchema),
  lastMessage: z.nullable(z.string()),
  result: z.nullable(
    z.object({
      errorCode: z.nullable(z.string()),
      errorMessage: z.nullable(z.string()),
      summary: z.nullable(z.unknown()),
    }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Task = z.infer<typeof taskSchema>;

/** GET /api/v1/assets/:id/packages items. */
export const packageSchema = z.object({
  name: z.string(),
  version: z.string(),
  arch: z.nullable(z.string()),
  manager: z.string(),
  sourceName: z.nullable(z.string()),
  sourceVersion: z.nullable(z.string()),
});
export type Package = z.infer<typeof packageSchema>;

/** Paged list answers: `{items, total}`. */
export function pageSchema<T extends z.ZodMiniType>(item: T) {
  return z.object({ items: z.array(item), total: z.number() });
}
