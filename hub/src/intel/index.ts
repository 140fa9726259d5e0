// Vulnerability intelligence: offline feeds (NVD, CVE 5, OSV, Debian tracker, KEV, EPSS) imported
// into global tables, read by matching and risk scoring through IntelReader (store-api.ts).
// This file is the only one other domains import.
import type { EntitySchema, MigrationInterface } from 'typeorm';
import type { AuthState, HubModuleDeps, Router } from '../platform/module.js';
import { intelRouter } from './routes.js';
import { IntelService } from './service.js';
import { IntelInit1764520000000 } from './store/migration.js';

export * from './store-api.js';
export { IntelService } from './service.js';
export { intelCommand } from './cli.js';
export { openFeed, detectFormat, type FeedItem } from './feeds/index.js';
export { EPSS_CHANGE_THRESHOLD } from './store/diff.js';
export type { ImportOptions, ImportProgress } from './importer.js';

/** Intel tables are written with raw multi-row SQL (store/writer.ts); no TypeORM entities. */
export const intelEntities: EntitySchema[] = [];
export const intelMigrations: (new () => MigrationInterface)[] = [IntelInit1764520000000];

export function createIntelModule(deps: HubModuleDeps & { uploadMaxBytes: number }): {
  router: Router<AuthState>;
  service: IntelService;
} {
  const service = new IntelService({
    dataSource: deps.dataSource,
    clock: deps.clock,
    log: deps.log.child({ module: 'intel' }),
    uploadMaxBytes: deps.uploadMaxBytes,
  });
  return { router: intelRouter(service), service };
}
