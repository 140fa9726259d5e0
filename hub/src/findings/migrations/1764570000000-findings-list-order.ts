// The console's "sort by risk" list (#6): ORDER BY COALESCE(risk_score, -1) DESC, severity_rank
// DESC, last_seen_at DESC, id per tenant (repository.ts `list`). Without an index on that exact
// expression and order, every page sorts all of the tenant's findings (seconds at 1M rows, see
// BENCHMARKS.md); with it the first page is an index range read. Same SQL on SQLite and PostgreSQL.
import type { MigrationInterface, QueryRunner } from 'typeorm';

const NAME = 'IDX_findings_tenant_risk_order';

export class FindingsListOrder1764570000000 implements MigrationInterface {
  name = 'FindingsListOrder1764570000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(
      `CREATE INDEX "${NAME}" ON "findings" ("tenant_id", (COALESCE("risk_score", -1)) DESC, ` +
        `"severity_rank" DESC, "last_seen_at" DESC, "id")`,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP INDEX "${NAME}"`);
  }
}
