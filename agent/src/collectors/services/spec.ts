import { LIST_LIMITS, type CollectorSpec } from '../spec.js';

export const servicesSpec: CollectorSpec = {
  name: 'services',
  sections: ['services'],
  platforms: ['linux'],
  reads: [
    'systemctl list-units --type=service --all / list-unit-files --type=service (when systemd runs)',
    'service --status-all (sysv hosts and containers)',
  ],
  maxItems: LIST_LIMITS.other,
};

export const SYSTEMD_RUNTIME_DIR = '/run/systemd/system';
export const SYSTEMCTL_UNITS_ARGS = [
  'list-units',
  '--type=service',
  '--all',
  '--no-legend',
  '--no-pager',
  '--plain',
] as const;
export const SYSTEMCTL_UNIT_FILES_ARGS = [
  'list-unit-files',
  '--type=service',
  '--no-legend',
  '--no-pager',
] as const;
export const SERVICE_STATUS_ALL_ARGS = ['--status-all'] as const;
