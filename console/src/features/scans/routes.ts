import type { RouteRecordRaw } from 'vue-router';

export const scansRoutes: RouteRecordRaw[] = [
  { path: '/scans', name: 'scans', component: () => import('./components/ScansPage.vue') },
  {
    path: '/scans/:id',
    name: 'scan',
    component: () => import('./components/ScanDetailPage.vue'),
    props: true,
  },
];
