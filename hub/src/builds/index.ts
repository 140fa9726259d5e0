export { buildsEntities, BUILD_PLATFORMS, type AgentBuildRow, type BuildPlatform } from './entities.js';
export { buildsMigrations } from './migrations.js';
export { BuildsService, buildView, parsePlatform, type BuildView } from './service.js';
export { buildsApiRouter, buildsPublicRouter } from './routes.js';
export { installCommand, renderInstallScript } from './install-script.js';
export { agentBuildCommand } from './cli.js';
