// The policy library of a tenant: create/replace from YAML, import Wazuh SCA, copy built-ins,
// delete, assign. Every change bumps the revision and notifies the delivery path.
import type { DataSource } from 'typeorm';
import { parseDocument } from 'yaml';
import type { Logger } from 'pino';
import { hubError } from '../platform/errors.js';
import { isUuid, newId } from '../platform/ids.js';
import type { PolicyListView, PolicyValidateView, PolicyView, ScaImportView } from './api-types.js';
import { assignmentSchema, EMPTY_ASSIGNMENT } from './assignment.js';
import type { PolicyRow } from './entities.js';
import { PoliciesRepository } from './repository.js';
import { importScaPolicy, ScaImportError } from './sca/import.js';
import { validatePolicyYaml, type PolicyValidationError } from './validate-yaml.js';
import { policySummary, policyView } from './view.js';

export type PolicyChanged = (tenantId: string) => void;

function invalid(errors: PolicyValidationError[]): Error {
  const first = errors[0];
  return hubError(
    'POLICY_INVALID',
    first ? `line ${first.line}: ${first.path ? `${first.path}: ` : ''}${first.message}` : 'invalid policy',
    { errors },
  );
}

export class PoliciesService {
  readonly repo: PoliciesRepository;
  private listeners: PolicyChanged[] = [];

  constructor(
    private readonly ds: DataSource,
    private readonly clock: () => Date,
    private readonly log: Logger,
  ) {
    this.repo = new PoliciesRepository(ds);
  }

  /** The gateway registers how to reach connected agents of a tenant after a change. */
  onChanged(fn: PolicyChanged): void {
    this.listeners.push(fn);
  }
  notify(tenantId: string): void {
    for (const fn of this.listeners) fn(tenantId);
  }

  validate(yaml: string): PolicyValidateView {
    const r = validatePolicyYaml(yaml);
    return r.ok
      ? { valid: true, errors: [], checks: r.document.checks.length }
      : { valid: false, errors: r.errors, checks: 0 };
  }

  async list(tenantId: string, limit: number, offset: number): Promise<PolicyListView> {
    const [rows, total] = await this.repo.page(tenantId, limit, offset);
    return { items: rows.map(policySummary), total, limit, offset };
  }

  async get(tenantId: string, id: string): Promise<PolicyView> {
    return policyView(await this.mustFind(tenantId, id));
  }

  private async mustFind(tenantId: string, id: string): Promise<PolicyRow> {
    const row = isUuid(id) ? await this.repo.find(tenantId, id) : null;
    if (!row) throw hubError('NOT_FOUND', `no policy ${id}`);
    return row;
  }

  async create(
    tenantId: string,
    actor: string,
    yaml: string,
    source: 'yaml' | 'builtin' = 'yaml',
  ): Promise<PolicyView> {
    const r = validatePolicyYaml(yaml);
    if (!r.ok) throw invalid(r.errors);
    const row = await this.ds.transaction(async (em) => {
      if (await this.repo.findByKey(tenantId, r.document.id, em)) {
        throw hubError('CONFLICT', `a policy with id "${r.document.id}" already exists`);
      }
      const now = this.clock();
      return this.repo.insert(
        {
          id: newId(),
          tenantId,
          policyKey: r.document.id,
          title: r.document.title,
          source,
          builtin: source === 'builtin',
          yaml,
          compiled: JSON.stringify(r.document),
          revision: 1,
          assignment: JSON.stringify(EMPTY_ASSIGNMENT),
          deletedAt: null,
          createdBy: actor,
          updatedBy: actor,
          createdAt: now,
          updatedAt: now,
        },
        em,
      );
    });
    this.log.info({ tenantId, policyId: row.id, key: row.policyKey, source }, 'policy created');
    return policyView(row);
  }

  /** New content for an existing policy: same document id, next revision. */
  async replace(tenantId: string, actor: string, id: string, yaml: string): Promise<PolicyView> {
    const r = validatePolicyYaml(yaml);
    if (!r.ok) throw invalid(r.errors);
    const row = await this.ds.transaction(async (em) => {
      const cur = await this.repo.find(tenantId, id, em);
      if (!cur) throw hubError('NOT_FOUND', `no policy ${id}`);
      if (cur.builtin) throw hubError('FORBIDDEN', 'built-in policies are read-only; copy it to change it');
      if (cur.policyKey !== r.document.id) {
        throw hubError(
          'CONFLICT',
          `document id "${r.document.id}" differs from this policy's "${cur.policyKey}"`,
        );
      }
      const patch = {
        title: r.document.title,
        yaml,
        compiled: JSON.stringify(r.document),
        revision: cur.revision + 1,
        updatedBy: actor,
        updatedAt: this.clock(),
      };
      await this.repo.update(tenantId, id, patch, em);
      return { ...cur, ...patch };
    });
    this.notify(tenantId);
    return policyView(row);
  }

  async importSca(tenantId: string, actor: string, text: string): Promise<ScaImportView> {
    let imported;
    try {
      imported = importScaPolicy(text);
    } catch (err) {
      if (!(err instanceof ScaImportError)) throw err;
      throw invalid([{ line: err.line ?? 1, column: 1, path: '', message: err.message }]);
    }
    const { document } = imported;
    const row = await this.ds.transaction(async (em) => {
      const cur = await this.repo.findByKey(tenantId, document.id, em);
      const now = this.clock();
      if (cur && cur.source !== 'sca') {
        throw hubError('CONFLICT', `a policy with id "${document.id}" already exists`);
      }
      if (cur) {
        // Re-importing the same SCA policy is an update of it.
        const patch = {
          title: document.title,
          yaml: text,
          compiled: JSON.stringify(document),
          revision: cur.revision + 1,
          updatedBy: actor,
          updatedAt: now,
        };
        await this.repo.update(tenantId, cur.id, patch, em);
        return { ...cur, ...patch };
      }
      return this.repo.insert(
        {
          id: newId(),
          tenantId,
          policyKey: document.id,
          title: document.title,
          source: 'sca',
          builtin: false,
          yaml: text,
          compiled: JSON.stringify(document),
          revision: 1,
          assignment: JSON.stringify(EMPTY_ASSIGNMENT),
          deletedAt: null,
          createdBy: actor,
          updatedBy: actor,
          createdAt: now,
          updatedAt: now,
        },
        em,
      );
    });
    this.notify(tenantId);
    return { policy: policyView(row), stats: imported.stats, warnings: imported.warnings.slice(0, 1000) };
  }

  /** A writable copy (e.g. of a built-in) under a new document id. */
  async copy(tenantId: string, actor: string, id: string, newKey: unknown): Promise<PolicyView> {
    const cur = await this.mustFind(tenantId, id);
    if (typeof newKey !== 'string' || newKey.length === 0)
      throw hubError('VALIDATION_FAILED', 'id: required');
    const doc = parseDocument(cur.source === 'sca' ? '' : cur.yaml);
    const yaml =
      cur.source === 'sca'
        ? JSON.stringify({ ...(JSON.parse(cur.compiled) as object), id: newKey }, null, 2)
        : (doc.setIn(['id'], newKey), doc.toString());
    return this.create(tenantId, actor, yaml);
  }

  async remove(tenantId: string, actor: string, id: string): Promise<void> {
    const cur = await this.mustFind(tenantId, id);
    if (cur.builtin) throw hubError('FORBIDDEN', 'built-in policies cannot be deleted; unassign it instead');
    const now = this.clock();
    // The bumped revision is what the removal carries: agents only accept newer versions.
    await this.repo.update(tenantId, id, {
      deletedAt: now,
      revision: cur.revision + 1,
      updatedBy: actor,
      updatedAt: now,
    });
    this.notify(tenantId);
  }

  async assign(tenantId: string, actor: string, id: string, body: unknown): Promise<PolicyView> {
    const parsed = assignmentSchema.safeParse(body);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw hubError('VALIDATION_FAILED', `${i?.path.join('.') || 'body'}: ${i?.message ?? 'invalid'}`);
    }
    const a = { ...parsed.data, tags: [...new Set(parsed.data.tags.map((t) => t.toLowerCase()))].sort() };
    const row = await this.ds.transaction(async (em) => {
      const cur = await this.repo.find(tenantId, id, em);
      if (!cur) throw hubError('NOT_FOUND', `no policy ${id}`);
      const known = new Set((await this.repo.agentStates(tenantId, undefined, em)).map((s) => s.agentId));
      const unknown = a.agentIds.find((x) => !known.has(x));
      if (unknown) throw hubError('NOT_FOUND', `no agent ${unknown}`);
      // A revision bump: agents leaving the target set need a removal newer than what they run.
      const patch = {
        assignment: JSON.stringify(a),
        revision: cur.revision + 1,
        updatedBy: actor,
        updatedAt: this.clock(),
      };
      await this.repo.update(tenantId, id, patch, em);
      return { ...cur, ...patch };
    });
    this.notify(tenantId);
    return policyView(row);
  }
}
