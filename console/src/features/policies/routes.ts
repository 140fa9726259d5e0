import type { RouteRecordRaw } from 'vue-router';

export const policiesRoutes: RouteRecordRaw[] = [
  { path: '/policies', name: 'policies', component: () => import('./components/PoliciesPage.vue') },
  {
    path: '/policies/new',
    name: 'policy-new',
    component: () => import('./components/PolicyDetailPage.vue'),
    props: { id: null },
  },
  {
    path: '/policies/:id',
    name: 'policy',
    component: () => import('./components/PolicyDetailPage.vue'),
    props: true,
  },
];
