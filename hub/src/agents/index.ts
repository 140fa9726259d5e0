export { agentsEntities, AgentEntity, type Agent } from './entities.js';
export { agentsMigrations } from './migrations.js';
export { AgentsRepository, type HeartbeatUpdate } from './repository.js';
export { AgentsService, agentView, type AgentView } from './service.js';
export { agentsRouter } from './routes.js';
