// "Needs verification" items: a product matched a vulnerability's configuration but its version
// is unknown (or a required platform could not be checked). Never findings; listed for an
// analyst by GET /api/v1/intel/candidates. Replaced per asset by each complete matching run.
import { EntitySchema } from 'typeorm';

export interface MatchCandidateRow {
  id: string;
  tenantId: string;
  assetId: string;
  vulnId: string;
  /** `22/tcp` for a service, the package name for a package. */
  component: string;
  port: number | null;
  protocol: string | null;
  cpe: string;
  criteria: string;
  reason: string;
  createdAt: Date;
}

export const MatchCandidateEntity = new EntitySchema<MatchCandidateRow>({
  name: 'MatchCandidate',
  tableName: 'match_candidates',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    tenantId: { type: 'varchar', length: 36, name: 'tenant_id' },
    assetId: { type: 'varchar', length: 36, name: 'asset_id' },
    vulnId: { type: 'varchar', length: 128, name: 'vuln_id' },
    component: { type: 'text' },
    port: { type: 'integer', nullable: true },
    protocol: { type: 'varchar', length: 16, nullable: true },
    cpe: { type: 'text' },
    criteria: { type: 'text' },
    reason: { type: 'text' },
    createdAt: { type: Date, name: 'created_at' },
  },
});
