import { LIST_LIMITS, type CollectorSpec } from '../spec.js';

export const accountsSpec: CollectorSpec = {
  name: 'accounts',
  sections: ['accounts', 'groups'],
  platforms: ['linux', 'darwin'],
  reads: ['/etc/passwd', '/etc/group', '/etc/shadow (when readable; password state only, never the hash)'],
  maxItems: LIST_LIMITS.other,
};
