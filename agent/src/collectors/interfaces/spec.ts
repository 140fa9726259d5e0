import { LIST_LIMITS, type CollectorSpec } from '../spec.js';

export const interfacesSpec: CollectorSpec = {
  name: 'interfaces',
  sections: ['interfaces'],
  platforms: ['linux', 'darwin', 'win32'],
  reads: [
    'os.networkInterfaces()',
    '/sys/class/net/<if>/{operstate,mtu,address}',
    '/sys/devices/virtual/net',
  ],
  maxItems: LIST_LIMITS.other,
};
