import type { RouteRecordRaw } from 'vue-router';

export const settingsRoutes: RouteRecordRaw[] = [
  {
    path: '/settings/risk',
    name: 'risk-settings',
    component: () => import('./components/RiskSettingsPage.vue'),
  },
];
