import { mkdirSync } from 'node:fs';
import { loadConfig, type AgentConfig } from '../config/config.js';
import { dataPaths, defaultDataDir, type DataPaths } from '../config/dataDir.js';
import { createLogger, type Logger } from '../log.js';
import type { CliArgs } from '../cli.js';

export interface CommandContext {
  paths: DataPaths;
  config: AgentConfig;
  log: Logger;
}

export function commandContext(args: CliArgs, createDir: boolean): CommandContext {
  const paths = dataPaths(args.dataDir ?? defaultDataDir());
  if (createDir) mkdirSync(paths.root, { recursive: true, mode: 0o700 });
  const config = loadConfig(paths.config);
  return { paths, config, log: createLogger(config.logLevel) };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
