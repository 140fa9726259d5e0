import { LIST_LIMITS, type CollectorSpec } from '../spec.js';

export const listenersSpec: CollectorSpec = {
  name: 'listeners',
  sections: ['listeners'],
  platforms: ['linux'],
  reads: ['/proc/net/tcp', '/proc/net/tcp6', '/proc/net/udp', '/proc/net/udp6', '/proc/*/fd (inode → pid)'],
  maxItems: LIST_LIMITS.other,
};

export const PROC_NET_TABLES = [
  { file: '/proc/net/tcp', protocol: 'tcp', family: 4 },
  { file: '/proc/net/tcp6', protocol: 'tcp', family: 6 },
  { file: '/proc/net/udp', protocol: 'udp', family: 4 },
  { file: '/proc/net/udp6', protocol: 'udp', family: 6 },
] as const;
