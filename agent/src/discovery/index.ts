// Network discovery: scope enforcement, nmap argv, streaming XML parser and the scan task.
export { buildNmapArgv, ScanParamsError, validatePorts } from './argv.js';
export { findNmap, runNmap } from './nmap.js';
export { parseHostFragment } from './parseHost.js';
export { prepareScan, type PreparedScan } from './prepare.js';
export {
  runScan,
  type CredentialChecker,
  type CredentialTarget,
  type ScanDeps,
  type StopReason,
} from './scanTask.js';
export { checkTargets, nmapTargets, parseTarget } from './scope.js';
export { NmapStreamParser, parseNmapXml, type NmapStreamEvent } from './stream.js';
