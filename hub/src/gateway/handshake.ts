// Enroll and Hello handling (PROTOCOL.md "Handshake"). Returns what the connection should do;
// the connection owns the socket.
import { CloseCode, SignPurpose, verifyPayload, type watchpost } from '@watchpost/proto';
import type { DataSource } from 'typeorm';
import type { Agent, AgentsRepository } from '../agents/index.js';
import { newId } from '../platform/ids.js';
import type { HubIdentity, TenancyService } from '../tenancy/index.js';

export type HandshakeOutcome<T> =
  { ok: true; value: T } | { ok: false; close: number; code: string; reason: string };

const fail = (close: number, code: string, reason: string) => ({ ok: false as const, close, code, reason });

const REFUSAL_TEXT = {
  UNKNOWN: 'enrollment token unknown',
  EXPIRED: 'enrollment token expired',
  REVOKED: 'enrollment token revoked',
  USED_UP: 'enrollment token has no uses left',
  WRONG_TENANT: 'enrollment token belongs to another tenant',
} as const;

export interface HandshakeDeps {
  ds: DataSource;
  tenancy: TenancyService;
  agents: AgentsRepository;
  identity: HubIdentity;
  clock: () => Date;
}

export async function handleEnroll(
  deps: HandshakeDeps,
  nonce: Uint8Array,
  e: watchpost.v1.IEnroll,
): Promise<HandshakeOutcome<watchpost.v1.IEnrolled>> {
  const pub = e.publicKey ?? new Uint8Array();
  if (!verifyPayload(pub, e.signature ?? new Uint8Array(), SignPurpose.ENROLL, nonce)) {
    return fail(CloseCode.AUTH_FAILED, 'AUTH_FAILED', 'enrollment proof-of-key signature does not verify');
  }
  const result = await deps.ds.transaction(async (em) => {
    const check = await deps.tenancy.consumeEnrollment(em, e.token ?? '', e.tenant ?? '');
    if (!check.ok) return check;
    const now = deps.clock();
    const agent: Agent = {
      id: newId(),
      tenantId: check.tenantId,
      publicKey: Buffer.from(pub).toString('base64'),
      hostname: (e.hostname ?? '').slice(0, 255),
      version: (e.version ?? '').slice(0, 64),
      enrolledAt: now,
      enrollmentTokenId: check.tokenId,
      revokedAt: null,
      online: false,
      ownerNode: null,
      lastSeenAt: null,
      lastSeq: '0',
      hubSeq: '0',
      assetId: null,
      outboxMessages: '0',
      outboxBytes: '0',
      outboxBudgetBytes: '0',
      collectionPaused: false,
      appliedPolicies: '[]',
    };
    await deps.agents.insert(em, agent);
    return { ok: true as const, agent };
  });
  if (!result.ok)
    return fail(CloseCode.ENROLLMENT_REFUSED, 'ENROLLMENT_REFUSED', REFUSAL_TEXT[result.refusal]);
  return {
    ok: true,
    value: {
      agentId: result.agent.id,
      tenantId: result.agent.tenantId,
      hubPublicKey: deps.identity.publicKeyRaw,
    },
  };
}

export async function handleHello(
  deps: HandshakeDeps,
  nonce: Uint8Array,
  h: watchpost.v1.IHello,
): Promise<HandshakeOutcome<Agent>> {
  const agentId = h.agentId ?? '';
  const agent = agentId === '' ? null : await deps.agents.findForAuthentication(agentId);
  if (!agent) return fail(CloseCode.AUTH_FAILED, 'AUTH_FAILED', 'unknown agent');
  const ok = verifyPayload(
    Buffer.from(agent.publicKey, 'base64'),
    h.signature ?? new Uint8Array(),
    SignPurpose.HELLO,
    nonce,
    Buffer.from(agentId, 'utf8'),
  );
  if (!ok)
    return fail(CloseCode.AUTH_FAILED, 'AUTH_FAILED', 'Hello signature does not verify (stale nonce?)');
  if (agent.revokedAt !== null) return fail(CloseCode.AGENT_REVOKED, 'AGENT_REVOKED', 'agent revoked');
  return { ok: true, value: agent };
}
