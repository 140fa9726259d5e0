export { startGateway, AGENT_WS_PATH, type Gateway, type GatewayDeps } from './server.js';
export { commitBatch, type ApplyInventory } from './ingest.js';
export { classifySeq, TokenBucket } from './seq.js';
