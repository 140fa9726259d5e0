import { LIST_LIMITS, type CollectorSpec } from '../spec.js';

export const processesSpec: CollectorSpec = {
  name: 'processes',
  sections: ['processes'],
  platforms: ['linux'],
  // Never /proc/<pid>/cmdline or environ: command lines and environments carry secrets.
  reads: [
    '/proc/<pid>/stat',
    '/proc/<pid>/status (Uid)',
    '/proc/<pid>/exe (link target)',
    '/proc/stat (btime)',
  ],
  maxItems: LIST_LIMITS.processes,
};

/** USER_HZ: the unit of /proc/<pid>/stat start times, 100 on every mainstream Linux ABI. */
export const CLOCK_TICKS_PER_SECOND = 100;
