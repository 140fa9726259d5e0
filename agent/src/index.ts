// @watchpost/agent public surface (the CLI in cli.ts is the usual entry point).
export { runAgent, CAPABILITIES, type RunOptions } from './run/runAgent.js';
export { parseConfig, loadConfig, configSchema, type AgentConfig } from './config/config.js';
export { dataPaths, defaultDataDir, type DataPaths } from './config/dataDir.js';
export { AgentError, AgentErrorCode, agentError } from './errors.js';
export { AGENT_VERSION } from './version.js';
