// Test helper: a complete `agents` row for store-level tests, with overrides.
import type { Agent } from '../agents/index.js';
import { newId } from '../platform/ids.js';

export function testAgentRow(tenantId: string, overrides: Partial<Agent> = {}): Agent {
  return {
    id: newId(),
    tenantId,
    publicKey: Buffer.alloc(32, 1).toString('base64'),
    hostname: 'h',
    version: 'v',
    enrolledAt: new Date(),
    enrollmentTokenId: null,
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
    ...overrides,
  };
}
