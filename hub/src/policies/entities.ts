import { EntitySchema } from 'typeorm';

/** One policy in a tenant's library. Deleted policies stay (deleted_at) so agents get a removal. */
export interface PolicyRow {
  id: string;
  tenantId: string;
  /** The document's own id (`id:` in the YAML). */
  policyKey: string;
  title: string;
  source: 'yaml' | 'sca' | 'builtin';
  builtin: boolean;
  yaml: string;
  /** The validated document as JSON: exactly what PolicyUpdate.document carries. */
  compiled: string;
  /** Increments on every change to content OR assignment (agents refuse versions not newer). */
  revision: number;
  /** JSON PolicyAssignment. */
  assignment: string;
  deletedAt: Date | null;
  createdBy: string;
  updatedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export const PolicyEntity = new EntitySchema<PolicyRow>({
  name: 'Policy',
  tableName: 'policies',
  columns: {
    id: { type: 'varchar', primary: true },
    tenantId: { type: 'varchar', name: 'tenant_id' },
    policyKey: { type: 'varchar', name: 'policy_key' },
    title: { type: 'varchar' },
    source: { type: 'varchar' },
    builtin: { type: 'boolean' },
    yaml: { type: 'text' },
    compiled: { type: 'text' },
    revision: { type: 'integer' },
    assignment: { type: 'text' },
    deletedAt: { type: Date, name: 'deleted_at', nullable: true },
    createdBy: { type: 'varchar', name: 'created_by' },
    updatedBy: { type: 'varchar', name: 'updated_by' },
    createdAt: { type: Date, name: 'created_at' },
    updatedAt: { type: Date, name: 'updated_at' },
  },
});

export const policiesEntities = [PolicyEntity];
