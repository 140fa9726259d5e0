export { UpgradeService, type UpgradeDeps } from './service.js';
export { applyBuildFault, BUILD_FAULT } from './fault.js';
export {
  decideAtStart,
  decideOnConnected,
  readMarker,
  MAX_UNCONFIRMED_STARTS,
  type UpgradeMarker,
} from './marker.js';
export { buildUrl, checkBuild, MAX_BUILD_BYTES } from './verify.js';
