// Every domain's entities and migrations, registered in one place. Migration timestamps order
// them: tenancy, agents, tasks first (others reference their tables).
import type { EntitySchema, MigrationInterface } from 'typeorm';
import { agentsEntities, agentsMigrations } from '../agents/index.js';
import { assetsEntities, assetsMigrations } from '../assets/index.js';
import { findingsEntities, findingsMigrations } from '../findings/index.js';
import { scansEntities, scansMigrations } from '../scans/index.js';
import { tasksEntities, tasksMigrations } from '../tasks/index.js';
import { tenancyEntities, tenancyMigrations } from '../tenancy/index.js';
import { riskMigrations } from '../risk/index.js';
import { usersEntities, usersMigrations } from '../users/index.js';
import { buildsEntities, buildsMigrations } from '../builds/index.js';
import { policiesEntities, policiesMigrations } from '../policies/index.js';
import { baselinesEntities, baselinesMigrations } from '../baselines/index.js';
import { driftEntities, driftMigrations } from '../drift/index.js';
import { intelEntities, intelMigrations } from '../intel/index.js';
import { matchingEntities, matchingMigrations } from '../intel/matching/index.js';
import { warningsEntities, warningsMigrations } from '../intel/warnings/index.js';

type MigrationClass = new () => MigrationInterface;

export function allEntities(): EntitySchema[] {
  return [
    ...tenancyEntities,
    ...agentsEntities,
    ...tasksEntities,
    ...assetsEntities,
    ...findingsEntities,
    ...scansEntities,
    ...usersEntities,
    ...buildsEntities,
    ...policiesEntities,
    ...baselinesEntities,
    ...driftEntities,
    ...intelEntities,
    ...matchingEntities,
    ...warningsEntities,
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
    ...usersMigrations,
    ...buildsMigrations,
    ...policiesMigrations,
    ...baselinesMigrations,
    ...driftMigrations,
    ...riskMigrations,
    ...intelMigrations,
    ...matchingMigrations,
    ...warningsMigrations,
  ];
}
