import { LIST_LIMITS, type CollectorSpec } from '../spec.js';

export const rpmSpec: CollectorSpec = {
  name: 'rpm',
  sections: ['packages'],
  platforms: ['linux'],
  reads: ['rpm -qa (when rpm is installed)'],
  maxItems: LIST_LIMITS.packages,
};

/** Fixed argv, no shell. Fields tab-separated, one package a line. */
export const RPM_QUERY_ARGS = [
  '-qa',
  '--qf',
  '%{NAME}\\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\n',
] as const;
