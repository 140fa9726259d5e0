import { LIST_LIMITS, type CollectorSpec } from '../spec.js';

export const dpkgSpec: CollectorSpec = {
  name: 'dpkg',
  sections: ['packages'],
  platforms: ['linux'],
  reads: ['/var/lib/dpkg/status'],
  maxItems: LIST_LIMITS.packages,
};

export const DPKG_STATUS_PATH = '/var/lib/dpkg/status';
