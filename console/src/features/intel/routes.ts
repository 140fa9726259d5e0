import type { RouteRecordRaw } from 'vue-router';

export const intelRoutes: RouteRecordRaw[] = [
  { path: '/intel', name: 'intel', component: () => import('./components/IntelPage.vue') },
];
