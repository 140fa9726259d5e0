import type { Logger } from 'pino';
import type { AgentsRepository } from '../agents/index.js';
import type { HubConfig } from '../config/index.js';
import type { PolicyDeliverySource } from '../policies/index.js';
import type { TasksService } from '../tasks/index.js';
import type { HandshakeDeps } from './handshake.js';
import type { IngestDeps } from './ingest.js';
import type { SessionRegistry } from './sessions.js';

/** Everything an agent connection needs, built once by the gateway. */
export interface GatewayContext extends HandshakeDeps {
  log: Logger;
  config: HubConfig;
  agents: AgentsRepository;
  tasks: TasksService;
  /** Signed policy updates this agent is missing (absent in gateway-only tests). */
  policies?: PolicyDeliverySource;
  ingest: IngestDeps;
  sessions: SessionRegistry;
}
