// Early warnings: a new or changed intel record matched an inventory already stored, so a finding
// was raised without any rescan. One row per (tenant, vulnerability, asset, component) event.
import { EntitySchema } from 'typeorm';

export interface EarlyWarningRow {
  id: string;
  tenantId: string;
  vulnId: string;
  cve: string | null;
  assetId: string;
  findingId: string;
  component: string;
  importId: string;
  createdAt: Date;
}

export const EarlyWarningEntity = new EntitySchema<EarlyWarningRow>({
  name: 'EarlyWarning',
  tableName: 'early_warnings',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    tenantId: { type: 'varchar', length: 36, name: 'tenant_id' },
    vulnId: { type: 'varchar', length: 128, name: 'vuln_id' },
    cve: { type: 'varchar', length: 32, nullable: true },
    assetId: { type: 'varchar', length: 36, name: 'asset_id' },
    findingId: { type: 'varchar', length: 36, name: 'finding_id' },
    component: { type: 'text' },
    importId: { type: 'varchar', length: 64, name: 'import_id' },
    createdAt: { type: Date, name: 'created_at' },
  },
});
