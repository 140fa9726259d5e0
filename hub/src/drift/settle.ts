// The lifecycle of `drift` findings: one is raised when an expert flags a change; it resolves
// itself once the key is back at its accepted value (rolled back, or the change accepted).
import type { EntityManager } from 'typeorm';
import { findingIdentityKey, type FindingsService } from '../findings/index.js';
import { DriftRepository } from './repository.js';

export const FLAG_SOURCE = 'hub:drift';

/** A finding component ≤ 512 chars that still names the item. */
export const componentOf = (kind: string, key: string): string =>
  `${kind}:${key}`.length <= 512 ? `${kind}:${key}` : `${kind}:…${key.slice(-(500 - kind.length))}`;

export const driftFindingKey = (assetId: string, kind: string, key: string): string =>
  findingIdentityKey({ type: 'drift', assetId, component: componentOf(kind, key), ruleId: 'drift' });

/**
 * Resolves the asset's open `drift` findings whose key now matches the accepted baseline (or
 * whose event was accepted: it is no longer flagged).
 */
export async function settleDriftFindings(
  em: EntityManager,
  findings: FindingsService,
  ctx: { tenantId: string; assetId: string; at: Date },
): Promise<string[]> {
  const repo = new DriftRepository(em);
  const flagged = await repo.violations(ctx.tenantId, ctx.assetId);
  const stillDrifted = new Set<string>();
  for (const e of flagged) {
    const [state, accepted] = await Promise.all([
      repo.stateItem(ctx.tenantId, ctx.assetId, e.keyHash),
      repo.baselineItem(ctx.tenantId, ctx.assetId, e.keyHash),
    ]);
    if ((state?.digest ?? null) !== (accepted?.digest ?? null))
      stillDrifted.add(driftFindingKey(ctx.assetId, e.kind, e.key));
  }
  const { resolvedIds } = await findings.resolveNotSeen(em, ctx.tenantId, {
    assetId: ctx.assetId,
    type: 'drift',
    source: FLAG_SOURCE,
    seenIdentityKeys: [...stillDrifted],
    checkedAt: ctx.at,
  });
  return resolvedIds;
}
