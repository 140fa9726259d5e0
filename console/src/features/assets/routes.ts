import type { RouteRecordRaw } from 'vue-router';

export const assetsRoutes: RouteRecordRaw[] = [
  { path: '/assets', name: 'assets', component: () => import('./components/AssetsPage.vue') },
  {
    path: '/assets/:id',
    name: 'asset',
    component: () => import('./components/AssetDetailPage.vue'),
    props: true,
  },
];
