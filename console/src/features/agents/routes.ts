import type { RouteRecordRaw } from 'vue-router';

export const agentsRoutes: RouteRecordRaw[] = [
  { path: '/agents', name: 'agents', component: () => import('./components/AgentsPage.vue') },
];
