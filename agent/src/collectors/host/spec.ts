import type { CollectorSpec } from '../spec.js';

export const hostSpec: CollectorSpec = {
  name: 'host',
  sections: ['host'],
  platforms: ['linux', 'darwin', 'win32'],
  reads: ['systeminformation osInfo/system/cpu/mem/time/uuid', '/etc/os-release', '/etc/machine-id'],
  maxItems: 1,
};
