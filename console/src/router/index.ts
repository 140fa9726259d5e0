import { createRouter, createWebHistory } from 'vue-router';
import { agentsRoutes } from '../features/agents/routes';
import { statusRoutes } from '../features/status/routes';

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [...statusRoutes, ...agentsRoutes, { path: '/:unknown(.*)*', redirect: '/' }],
});
