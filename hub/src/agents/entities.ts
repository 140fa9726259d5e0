import { EntitySchema } from 'typeorm';
import { bigintAsString } from '../db/portable.js';

export interface Agent {
  id: string;
  tenantId: string;
  publicKey: string; // raw Ed25519, base64
  hostname: string;
  version: string;
  enrolledAt: Date;
  enrollmentTokenId: string | null;
  revokedAt: Date | null;
  online: boolean;
  ownerNode: string | null;
  lastSeenAt: Date | null;
  lastSeq: string; // highest committed agent seq
  hubSeq: string; // last HubEnvelope.seq used for a task/policy to this agent
  assetId: string | null;
  outboxMessages: string;
  outboxBytes: string;
  outboxBudgetBytes: string;
  collectionPaused: boolean;
  appliedPolicies: string; // JSON array
}

export interface AgentEventRow {
  id: string;
  tenantId: string;
  agentId: string;
  seq: string;
  code: string;
  severity: number;
  message: string;
  ref: string;
  details: string; // JSON object
  createdAt: Date;
}

export interface IngestReject {
  id: string;
  tenantId: string;
  agentId: string;
  seq: string;
  code: string;
  reason: string;
  bodyKind: string;
  createdAt: Date;
}

const big = (name: string) => ({ type: 'bigint' as const, name, transformer: bigintAsString });

export const AgentEntity = new EntitySchema<Agent>({
  name: 'Agent',
  tableName: 'agents',
  columns: {
    id: { type: 'varchar', primary: true },
    tenantId: { type: 'varchar', name: 'tenant_id' },
    publicKey: { type: 'varchar', name: 'public_key' },
    hostname: { type: 'varchar' },
    version: { type: 'varchar' },
    enrolledAt: { type: Date, name: 'enrolled_at' },
    enrollmentTokenId: { type: 'varchar', name: 'enrollment_token_id', nullable: true },
    revokedAt: { type: Date, name: 'revoked_at', nullable: true },
    online: { type: 'boolean' },
    ownerNode: { type: 'varchar', name: 'owner_node', nullable: true },
    lastSeenAt: { type: Date, name: 'last_seen_at', nullable: true },
    lastSeq: big('last_seq'),
    hubSeq: big('hub_seq'),
    assetId: { type: 'varchar', name: 'asset_id', nullable: true },
    outboxMessages: big('outbox_messages'),
    outboxBytes: big('outbox_bytes'),
    outboxBudgetBytes: big('outbox_budget_bytes'),
    collectionPaused: { type: 'boolean', name: 'collection_paused' },
    appliedPolicies: { type: 'text', name: 'applied_policies' },
  },
});

export const AgentEventEntity = new EntitySchema<AgentEventRow>({
  name: 'AgentEvent',
  tableName: 'agent_events',
  columns: {
    id: { type: 'varchar', primary: true },
    tenantId: { type: 'varchar', name: 'tenant_id' },
    agentId: { type: 'varchar', name: 'agent_id' },
    seq: big('seq'),
    code: { type: 'varchar' },
    severity: { type: 'integer' },
    message: { type: 'text' },
    ref: { type: 'varchar' },
    details: { type: 'text' },
    createdAt: { type: Date, name: 'created_at' },
  },
});

export const IngestRejectEntity = new EntitySchema<IngestReject>({
  name: 'IngestReject',
  tableName: 'ingest_rejects',
  columns: {
    id: { type: 'varchar', primary: true },
    tenantId: { type: 'varchar', name: 'tenant_id' },
    agentId: { type: 'varchar', name: 'agent_id' },
    seq: big('seq'),
    code: { type: 'varchar' },
    reason: { type: 'text' },
    bodyKind: { type: 'varchar', name: 'body_kind' },
    createdAt: { type: Date, name: 'created_at' },
  },
});

export const agentsEntities = [AgentEntity, AgentEventEntity, IngestRejectEntity];
