// Hub test helpers (documented in hub/README.md). Import from 'hub/src/testing/index.js'.
export {
  startHub,
  runCli,
  cliRaw,
  hubEnv,
  hubCommand,
  repoRoot,
  type RunningHubProcess,
  type StartHubOptions,
} from './hub-process.js';
export { tempPgDatabase, withTempPostgres, testDatabaseUrl, type TempDatabase } from './postgres.js';
export {
  TestAgentClient,
  enrollAgent,
  enrollAgentOver,
  newAgentKey,
  type EnrolledTestAgent,
  type TestAgentKey,
  type ClosedInfo,
} from './agent-client.js';
export { countRows, queryStore, type RowCounts, type StoreTarget } from './store-counts.js';
