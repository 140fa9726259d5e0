// Every domain's entities and migrations, registered in one place. Migration timestamps order
// them: tenancy, agents, tasks first (others reference their tables).
import type { EntitySchema, MigrationInterface } from 'typeorm';
import { agentsEntities, agentsMigrations } from '../agents/index.js';
import { assetsEntities, assetsMigrations } from '../assets/index.js';
import { findingsEntities, findingsMigrations } from '../findings/index.js';
import { scansEntities, scansMigrations } from '../scans/index.js';
import { tasksEntities, tasksMigrations } from '../tasks/index.js';
import { tenancyEntities, tenancyMigrations } from '../tenancy/index.js';

type MigrationClass = new () => MigrationInterface;

export function allEntities(): EntitySchema[] {
  return [
    ...tenancyEntities,
    ...agentsEntities,
    ...tasksEntities,
    ...assetsEntities,
    ...findingsEntities,
    ...scansEntities,
  ] as EntitySchema[];
}

export function allMigrations(): MigrationClass[] {
  return [
    ...tenancyMigrations,
    ...agentsMigrations,
    ...tasksMigrations,
    ...assetsMigrations,
    ...findingsMigrations,
    ...scansMigrations,
  ];
}
