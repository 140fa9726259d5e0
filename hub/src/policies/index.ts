// Policies: the baseline policy library (YAML with line-numbered validation, Wazuh SCA import,
// built-ins), assignment to agents, signed delivery and deployment status. This file is the only
// one other domains import.
import type { EntitySchema, MigrationInterface } from 'typeorm';
import type { AgentsRepository } from '../agents/index.js';
import type { AuthState, HubModuleDeps, Router } from '../platform/module.js';
import type { HubIdentity } from '../tenancy/index.js';
import { loadBuiltinPolicies, syncBuiltins } from './builtins.js';
import { PolicyDeliverer, type PolicyDelivery } from './delivery.js';
import { policiesEntities as entities } from './entities.js';
import { policiesMigrations as migrations } from './migrations.js';
import { policiesRouter } from './routes.js';
import { PoliciesService } from './service.js';

export {
  importScaPolicy,
  ScaImportError,
  type ScaImportResult,
  type ScaImportWarning,
} from './sca/import.js';
export { translateOsRegex } from './sca/os-regex.js';
export { validatePolicyYaml, type PolicyValidation, type PolicyValidationError } from './validate-yaml.js';
export { loadBuiltinPolicies, BUILTIN_POLICY_DIR } from './builtins.js';
export { encodePolicyUpdate, signPolicyUpdate, type PolicyUpdateToSign } from './signing.js';
export { PoliciesService } from './service.js';
export { deploymentOf } from './deployment.js';
export type { PolicyDelivery } from './delivery.js';
export type * from './api-types.js';

export const policiesEntities: EntitySchema[] = entities as EntitySchema[];
export const policiesMigrations: (new () => MigrationInterface)[] = migrations;

/** How the gateway gets signed policy updates for one connection. */
export interface PolicyDeliverySource {
  prepare(tenantId: string, agentId: string, sent: ReadonlyMap<string, number>): Promise<PolicyDelivery[]>;
}

export interface PoliciesModule {
  router: Router<AuthState>;
  service: PoliciesService;
  delivery: PolicyDeliverySource;
  /** Adds built-ins to every tenant (and refreshes changed ones). */
  syncBuiltins(tenantIds: readonly string[]): Promise<void>;
  /**
   * Calls `notify(tenantId)` for local changes at once and, every `intervalMs`, for changes made
   * on other hub nodes or by the CLI (policies.updated_at newer than the last sweep).
   */
  startDelivery(intervalMs: number, notify: (tenantId: string) => void): () => void;
}

export function createPoliciesModule(
  deps: HubModuleDeps & { agents: AgentsRepository; identity: HubIdentity },
): PoliciesModule {
  const log = deps.log.child({ module: 'policies' });
  const service = new PoliciesService(deps.dataSource, deps.clock, log);
  const deliverer = new PolicyDeliverer({
    ds: deps.dataSource,
    repo: service.repo,
    agents: deps.agents,
    identity: deps.identity,
    clock: deps.clock,
  });
  const builtins = loadBuiltinPolicies();
  const sync = async (tenantIds: readonly string[]) => {
    const changed = await syncBuiltins(service, tenantIds, builtins, deps.clock, log);
    for (const t of changed) service.notify(t);
  };
  return {
    router: policiesRouter(service, (tenantId) => sync([tenantId])),
    service,
    delivery: deliverer,
    syncBuiltins: sync,
    startDelivery(intervalMs, notify) {
      service.onChanged(notify);
      // Sweep window overlaps by one interval: a commit racing the previous sweep is not missed.
      let since = new Date(deps.clock().getTime() - intervalMs);
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        const now = deps.clock();
        service.repo
          .changedSince(new Date(since.getTime() - intervalMs))
          .then((tenants) => {
            since = now;
            tenants.forEach(notify);
          })
          .catch((err: unknown) => log.error({ err }, 'policy delivery sweep failed'))
          .finally(() => (running = false));
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
