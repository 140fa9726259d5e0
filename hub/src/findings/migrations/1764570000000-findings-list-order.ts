// Indexes for the console's findings list (#6) at 1M findings per tenant (BENCHMARKS.md):
// - "sort by risk" orders by COALESCE(risk_score, -1) DESC, severity_rank DESC, last_seen_at DESC,
//   id (repository.ts `list`): without an index on that exact expression and order every page
//   sorts all of the tenant's findings; with it the first page is an index range read.
// - the CVE and asset filters under the default severity order: (tenant, cve|asset, rank, seen)
//   serves the filter and the order at once, so the planner no longer walks the whole severity
//   index looking for the few matching rows.
// - the source filter reads the evidences of one source: (tenant, source, finding).
// Same SQL on SQLite and PostgreSQL (expression indexes on both).
import type { MigrationInterface, QueryRunner } from 'typeorm';

const INDEXES: [string, string][] = [
  [
    'IDX_findings_tenant_risk_order',
    '"tenant_id", (COALESCE("risk_score", -1)) DESC, "severity_rank" DESC, "last_seen_at" DESC, "id"',
  ],
  ['IDX_findings_tenant_cve_rank', '"tenant_id", "cve", "severity_rank", "last_seen_at"'],
  ['IDX_findings_tenant_asset_rank', '"tenant_id", "asset_id", "severity_rank", "last_seen_at"'],
];
const EVIDENCE_INDEXES: [string, string][] = [
  ['IDX_finding_evidences_tenant_source', '"tenant_id", "source", "finding_id"'],
];

export class FindingsListOrder1764570000000 implements MigrationInterface {
  name = 'FindingsListOrder1764570000000';

  async up(qr: QueryRunner): Promise<void> {
    for (const [name, columns] of INDEXES)
      await qr.query(`CREATE INDEX "${name}" ON "findings" (${columns})`);
    for (const [name, columns] of EVIDENCE_INDEXES)
      await qr.query(`CREATE INDEX "${name}" ON "finding_evidences" (${columns})`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const [name] of [...EVIDENCE_INDEXES, ...INDEXES].reverse()) await qr.query(`DROP INDEX "${name}"`);
  }
}
