/**
 * The left menu mirrors the hub's domains. A domain whose pages do not exist yet has no route:
 * it is shown disabled with a "coming" tag, never with placeholder content.
 */
import type { Component } from 'vue';
import {
  Aim,
  Connection,
  DataAnalysis,
  Monitor,
  Odometer,
  Reading,
  Setting,
  Warning,
} from '@element-plus/icons-vue';
import type { MessageSchema } from '../i18n/en';

export interface NavItem {
  label: keyof MessageSchema['nav'];
  icon: Component;
  /** Route path, or null while the domain has no page. */
  path: string | null;
  /** Shown only to users holding this permission. */
  permission?: string;
}

export const navigation: readonly NavItem[] = [
  { label: 'overview', icon: DataAnalysis, path: '/' },
  { label: 'agents', icon: Connection, path: '/agents' },
  { label: 'assets', icon: Monitor, path: '/assets' },
  { label: 'scans', icon: Aim, path: '/scans' },
  { label: 'policies', icon: Setting, path: '/policies' },
  { label: 'intel', icon: Reading, path: '/intel' },
  { label: 'findings', icon: Warning, path: '/findings' },
  // The SLA is tenant policy: only those who may change policies see its page in the menu.
  { label: 'riskSettings', icon: Odometer, path: '/settings/risk', permission: 'policies:write' },
];
