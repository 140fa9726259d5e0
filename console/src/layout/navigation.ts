/**
 * The left menu mirrors the hub's domains. A domain whose pages do not exist yet has no route:
 * it is shown disabled with a "coming" tag, never with placeholder content.
 */
import type { Component } from 'vue';
import { Aim, Connection, DataAnalysis, Monitor, Reading, Setting, Warning } from '@element-plus/icons-vue';
import type { MessageSchema } from '../i18n/en';

export interface NavItem {
  label: keyof MessageSchema['nav'];
  icon: Component;
  /** Route path, or null while the domain has no page. */
  path: string | null;
}

export const navigation: readonly NavItem[] = [
  { label: 'overview', icon: DataAnalysis, path: '/' },
  { label: 'agents', icon: Connection, path: '/agents' },
  { label: 'assets', icon: Monitor, path: null },
  { label: 'scans', icon: Aim, path: null },
  { label: 'policies', icon: Setting, path: null },
  { label: 'intel', icon: Reading, path: null },
  { label: 'findings', icon: Warning, path: null },
];
