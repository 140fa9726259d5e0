import type { RouteRecordRaw } from 'vue-router';

export const statusRoutes: RouteRecordRaw[] = [
  { path: '/status', name: 'status', component: () => import('./components/StatusPage.vue') },
];
