// Risk and SLA columns (#5): priority P1–P4 with its remediation deadline, the CVE a finding is
// about, the match confidence and whether intel (not a scan) raised it. Listing by risk and by
// priority/cve needs indexes.
import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { instantType } from '../../db/portable.js';

export class FindingsRisk1764540000000 implements MigrationInterface {
  name = 'FindingsRisk1764540000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('findings', [
      new TableColumn({ name: 'priority', type: 'varchar', length: '2', isNullable: true }),
      new TableColumn({ name: 'due_at', type: instantType(qr), isNullable: true }),
      new TableColumn({ name: 'cve', type: 'varchar', length: '32', isNullable: true }),
      new TableColumn({ name: 'confidence', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'from_intel', type: 'boolean', default: false }),
    ]);
    await qr.createIndices('findings', [
      new TableIndex({ name: 'IDX_findings_tenant_risk', columnNames: ['tenant_id', 'risk_score'] }),
      new TableIndex({ name: 'IDX_findings_tenant_cve', columnNames: ['tenant_id', 'cve'] }),
      new TableIndex({ name: 'IDX_findings_tenant_priority', columnNames: ['tenant_id', 'priority'] }),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const i of ['IDX_findings_tenant_priority', 'IDX_findings_tenant_cve', 'IDX_findings_tenant_risk'])
      await qr.dropIndex('findings', i);
    for (const c of ['from_intel', 'confidence', 'cve', 'due_at', 'priority'])
      await qr.dropColumn('findings', c);
  }
}
