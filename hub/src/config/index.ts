export { loadConfig, ENV_KEYS, type ConfigFlags } from './load.js';
export { hubConfigSchema, type HubConfig } from './schema.js';
