// Built-in policies (hub/policies/*.yaml, shipped with the hub) in every tenant's library:
// read-only rows with builtin=true, created when missing and given a new revision when the
// shipped text changed (a hub upgrade), so assigned agents receive the new content.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { newId } from '../platform/ids.js';
import { EMPTY_ASSIGNMENT } from './assignment.js';
import type { PoliciesService } from './service.js';
import { validatePolicyYaml } from './validate-yaml.js';
import type { PolicyDocument } from '@watchpost/proto';

/** hub/policies, from src/policies (tsx) and dist/policies (built) alike. */
export const BUILTIN_POLICY_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'policies');

export interface BuiltinPolicy {
  file: string;
  yaml: string;
  document: PolicyDocument;
}

/** Reads and validates the shipped policies; a broken one is a hub bug and fails loudly. */
export function loadBuiltinPolicies(dir: string = BUILTIN_POLICY_DIR): BuiltinPolicy[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const yaml = readFileSync(join(dir, file), 'utf8');
      const r = validatePolicyYaml(yaml);
      if (!r.ok) {
        const e = r.errors[0];
        throw new Error(
          `built-in policy ${file} invalid at line ${e?.line ?? 0}: ${e?.path ?? ''} ${e?.message ?? ''}`,
        );
      }
      return { file, yaml, document: r.document };
    });
}

/** Makes every tenant's built-ins match the shipped ones; returns the tenants that changed. */
export async function syncBuiltins(
  service: PoliciesService,
  tenantIds: readonly string[],
  builtins: readonly BuiltinPolicy[],
  clock: () => Date,
  log: Logger,
): Promise<string[]> {
  const changed: string[] = [];
  for (const tenantId of tenantIds) {
    const existing = new Map((await service.repo.builtins(tenantId)).map((p) => [p.policyKey, p]));
    let touched = false;
    for (const b of builtins) {
      const cur = existing.get(b.document.id);
      const now = clock();
      if (!cur) {
        if (await service.repo.findByKey(tenantId, b.document.id)) {
          log.warn(
            { tenantId, key: b.document.id },
            'a tenant policy already uses a built-in id; built-in skipped',
          );
          continue;
        }
        await service.repo.insert({
          id: newId(),
          tenantId,
          policyKey: b.document.id,
          title: b.document.title,
          source: 'builtin',
          builtin: true,
          yaml: b.yaml,
          compiled: JSON.stringify(b.document),
          revision: 1,
          assignment: JSON.stringify(EMPTY_ASSIGNMENT),
          deletedAt: null,
          createdBy: 'system',
          updatedBy: 'system',
          createdAt: now,
          updatedAt: now,
        });
        touched = true;
      } else if (cur.yaml !== b.yaml) {
        await service.repo.update(tenantId, cur.id, {
          title: b.document.title,
          yaml: b.yaml,
          compiled: JSON.stringify(b.document),
          revision: cur.revision + 1,
          updatedBy: 'system',
          updatedAt: now,
        });
        touched = true;
      }
    }
    if (touched) changed.push(tenantId);
  }
  return changed;
}
