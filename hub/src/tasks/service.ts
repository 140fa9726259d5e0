// Tasks for agents: created over REST (stored queued), delivered signed over the agent's live
// connection, and their progress folded in by the ingest path.
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import type { watchpost } from '@watchpost/proto';
import type { AgentsRepository } from '../agents/index.js';
import { hubError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import type { HubIdentity } from '../tenancy/index.js';
import type { TaskRow } from './entities.js';
import { TasksRepository } from './repository.js';
import { signTask } from './signing.js';

export const createTaskSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('collect_inventory'),
      params: z
        .object({ full: z.boolean().default(true) })
        .strict()
        .default({ full: true }),
      expiresInS: z
        .number()
        .int()
        .positive()
        .max(30 * 86400)
        .optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('pipeline_probe'),
      params: z
        .object({
          count: z.number().int().min(1).max(1_000_000),
          payloadBytes: z.number().int().min(0).max(4096).default(0),
        })
        .strict(),
      expiresInS: z
        .number()
        .int()
        .positive()
        .max(30 * 86400)
        .optional(),
    })
    .strict(),
]);

export interface TaskView {
  id: string;
  agentId: string;
  kind: string;
  params: unknown;
  state: string;
  percent: number;
  progressCount: number;
  lastMessage: string;
  /** ISO instant the agent expects the task to finish; null when unknown or ended. */
  etaAt: string | null;
  result: { errorCode: string | null; errorMessage: string | null; summary: unknown } | null;
  hubSeq: number | null;
  expiresAt: string;
  sentAt: string | null;
  createdAt: string;
  updatedAt: string;
}

function parseSummary(s: string | null): unknown {
  if (s === null) return null;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
}

export function taskView(t: TaskRow): TaskView {
  return {
    id: t.id,
    agentId: t.agentId,
    kind: t.kind,
    params: JSON.parse(t.params) as unknown,
    state: t.state,
    percent: t.percent,
    progressCount: Number(t.progressCount),
    lastMessage: t.lastMessage,
    etaAt: t.etaAt?.toISOString() ?? null,
    result: t.hasResult
      ? { errorCode: t.errorCode, errorMessage: t.errorMessage, summary: parseSummary(t.summary) }
      : null,
    hubSeq: t.hubSeq === null ? null : Number(t.hubSeq),
    expiresAt: t.expiresAt.toISOString(),
    sentAt: t.sentAt?.toISOString() ?? null,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

export interface Delivery {
  taskId: string;
  hubSeq: bigint;
  signed: watchpost.v1.ISignedTask;
}

export type DeliveryTrigger = (tenantId: string, agentId: string) => void;

export class TasksService {
  readonly repo: TasksRepository;
  private trigger: DeliveryTrigger = () => {};

  constructor(
    private readonly ds: DataSource,
    private readonly agents: AgentsRepository,
    private readonly clock: () => Date,
    private readonly defaultExpiryS: number,
    private readonly identity: HubIdentity,
  ) {
    this.repo = new TasksRepository(ds);
  }

  /** The gateway registers how to push queued tasks to a connected agent. */
  onCreated(trigger: DeliveryTrigger): void {
    this.trigger = trigger;
  }

  async create(tenantId: string, agentId: string, body: unknown): Promise<TaskView> {
    const parsed = createTaskSchema.safeParse(body);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw hubError('VALIDATION_FAILED', `${i?.path.join('.') || 'body'}: ${i?.message ?? 'invalid'}`);
    }
    const row = await this.enqueue(
      this.ds.manager,
      tenantId,
      agentId,
      parsed.data.kind,
      parsed.data.params,
      parsed.data.expiresInS,
    );
    this.trigger(tenantId, agentId);
    return taskView(row);
  }

  /**
   * Stores a queued task in `em` (the caller's transaction) for kinds other domains own and
   * validate themselves (`scan`, `cancel`: never accepted from the generic tasks route). The
   * caller calls `deliver` after its commit.
   */
  async enqueue(
    em: EntityManager,
    tenantId: string,
    agentId: string,
    kind: string,
    params: Record<string, unknown>,
    expiresInS: number = this.defaultExpiryS,
  ): Promise<TaskRow> {
    const agent = await this.agents.find(tenantId, agentId, em);
    if (!agent) throw hubError('NOT_FOUND', `no agent ${agentId}`);
    if (agent.revokedAt !== null) throw hubError('CONFLICT', `agent ${agentId} is revoked`);
    const now = this.clock();
    return this.repo.insert(
      {
        id: newId(),
        tenantId,
        agentId,
        kind,
        params: JSON.stringify(params),
        state: 'queued',
        percent: 0,
        progressCount: '0',
        lastMessage: '',
        errorCode: null,
        errorMessage: null,
        summary: null,
        hasResult: false,
        etaAt: null,
        hubSeq: null,
        expiresAt: new Date(now.getTime() + expiresInS * 1000),
        sentAt: null,
        createdAt: now,
        updatedAt: now,
      },
      em,
    );
  }

  /** Pushes queued tasks to the agent when it is connected (after the caller's commit). */
  deliver(tenantId: string, agentId: string): void {
    this.trigger(tenantId, agentId);
  }

  /** Marks a task the agent never accepted as cancelled; false when it is past that point. */
  async cancelUndelivered(em: EntityManager, tenantId: string, id: string): Promise<boolean> {
    return this.repo.cancelIfUnaccepted(em, tenantId, id, this.clock());
  }

  async get(tenantId: string, id: string): Promise<TaskView> {
    // Undelivered tasks past their deadline read as expired even while their agent is away.
    await this.repo.markExpired(this.ds.manager, tenantId, this.clock());
    const t = await this.repo.find(tenantId, id);
    if (!t) throw hubError('NOT_FOUND', `no task ${id}`);
    return taskView(t);
  }

  /**
   * Signs every task the agent has not accepted yet (skipping `alreadySent` on this connection),
   * each with the next persisted per-agent hub seq. Expired ones are marked expired instead.
   */
  async prepareDeliveries(
    tenantId: string,
    agentId: string,
    alreadySent: ReadonlySet<string>,
  ): Promise<Delivery[]> {
    return this.ds.transaction(async (em) => {
      const now = this.clock();
      await this.repo.markExpired(em, tenantId, now);
      const out: Delivery[] = [];
      for (const t of await this.repo.undelivered(em, tenantId, agentId)) {
        if (alreadySent.has(t.id)) continue;
        const hubSeq = await this.agents.nextHubSeq(em, tenantId, agentId);
        await this.repo.markSent(em, tenantId, t.id, hubSeq, now);
        const signed = signTask(this.identity.privateKey, {
          taskId: t.id,
          agentId,
          hubSeq,
          issuedAt: now,
          expiresAt: t.expiresAt,
          kind: t.kind,
          params: JSON.parse(t.params) as Record<string, unknown>,
        });
        out.push({ taskId: t.id, hubSeq, signed });
      }
      return out;
    });
  }
}
