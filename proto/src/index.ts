// @watchpost/proto: the wire contract. Generated codec (gen/), protocol constants and the
// signing rules shared by agent and hub. See PROTOCOL.md.
export { watchpost } from '../gen/watchpost.js';
export * from './codes.js';
export * from './limits.js';
export * from './signing.js';
export * from './codec.js';
export * from './inventory.js';
export * from './policy.js';
export * from './versions/index.js';
