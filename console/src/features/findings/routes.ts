import type { RouteRecordRaw } from 'vue-router';

export const findingsRoutes: RouteRecordRaw[] = [
  { path: '/findings', name: 'findings', component: () => import('./components/FindingsPage.vue') },
  {
    path: '/findings/:id',
    name: 'finding',
    component: () => import('./components/FindingDetailPage.vue'),
    props: true,
  },
];
