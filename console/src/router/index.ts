import { createRouter, createWebHistory } from 'vue-router';
import { setUnauthenticatedHandler } from '../api/http';
import { session, setSession } from '../api/session';
import { loadSession } from '../features/auth/api';
import { authRoutes } from '../features/auth/routes';
import { agentsRoutes } from '../features/agents/routes';
import { statusRoutes } from '../features/status/routes';
import { overviewRoutes } from '../features/overview/routes';
import { assetsRoutes } from '../features/assets/routes';
import { scansRoutes } from '../features/scans/routes';
import { policiesRoutes } from '../features/policies/routes';
import { intelRoutes } from '../features/intel/routes';
import { findingsRoutes } from '../features/findings/routes';
import { settingsRoutes } from '../features/settings/routes';

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    ...authRoutes,
    ...overviewRoutes,
    ...statusRoutes,
    ...agentsRoutes,
    ...assetsRoutes,
    ...scansRoutes,
    ...policiesRoutes,
    ...intelRoutes,
    ...findingsRoutes,
    ...settingsRoutes,
    { path: '/:unknown(.*)*', redirect: '/' },
  ],
});

// Every page but the login needs a session; the first navigation asks the hub who we are.
router.beforeEach(async (to) => {
  if (to.meta['public'] === true || session.info) return true;
  const info = await loadSession().catch(() => null);
  return info ? true : { name: 'login', query: { next: to.fullPath } };
});

setUnauthenticatedHandler(() => {
  if (!session.info) return;
  setSession(null);
  const current = router.currentRoute.value;
  if (current.meta['public'] !== true)
    void router.replace({ name: 'login', query: { next: current.fullPath } });
});
