// Public downloads (no auth: the enrollment token in the one-liner is the secret, the build is
// not) and the tenant API: agent versions, upgrade orchestration, the hub's clock.
import { createReadStream } from 'node:fs';
import Router from '@koa/router';
import type { DataSource } from 'typeorm';
import type { AgentsRepository } from '../agents/index.js';
import { hubError } from '../platform/errors.js';
import type { AuthState } from '../platform/module.js';
import type { TasksService } from '../tasks/index.js';
import { renderInstallScript } from './install-script.js';
import { parsePlatform, type BuildsService } from './service.js';
import { requirePermission } from '../users/index.js';

export interface BuildsRouteDeps {
  builds: BuildsService;
  hubPublicKeyRaw: Uint8Array;
  clock: () => Date;
}

export function buildsPublicRouter(d: BuildsRouteDeps): Router {
  const r = new Router();
  r.get('/agent/builds/:version/:file', async (ctx) => {
    const file = ctx.params['file'] ?? '';
    const sig = file.endsWith('.sig');
    const b = await d.builds.get(ctx.params['version'] ?? '', parsePlatform(sig ? file.slice(0, -4) : file));
    if (sig) {
      ctx.body = { version: b.version, sha256: b.sha256, signature: b.signature, sizeBytes: b.sizeBytes };
      return;
    }
    ctx.type =
      b.platform === 'deb-amd64' ? 'application/vnd.debian.binary-package' : 'application/octet-stream';
    ctx.length = b.sizeBytes;
    ctx.set(
      'Content-Disposition',
      `attachment; filename="${b.platform === 'deb-amd64' ? `watchpost-agent_${b.version}_amd64.deb` : 'watchpost-agent'}"`,
    );
    ctx.body = createReadStream(b.path);
  });
  r.get('/install.sh', async (ctx) => {
    const version = await d.builds.latestVersion();
    if (!version)
      throw hubError('NOT_FOUND', 'no agent build on this hub yet (watchpost-hub agent-build add)');
    ctx.type = 'text/x-shellscript';
    // Koa 3's ctx.origin is the Origin header; the URL the client used is protocol + Host.
    ctx.body = renderInstallScript({
      hubUrl: `${ctx.protocol}://${ctx.host}`,
      version,
      hubPublicKeyRaw: d.hubPublicKeyRaw,
    });
  });
  // The agent's `doctor` measures clock skew against this (and the Date header).
  r.get('/api/v1/time', (ctx) => {
    ctx.body = { now: d.clock().toISOString(), epochMs: d.clock().getTime() };
  });
  return r;
}

export function buildsApiRouter(d: {
  builds: BuildsService;
  ds: DataSource;
  tasks: TasksService;
  agents: AgentsRepository;
}): Router<AuthState> {
  const r = new Router<AuthState>();
  r.get('/agent-builds', async (ctx) => {
    ctx.body = { items: await d.builds.list() };
  });
  r.get('/agents/versions', async (ctx) => {
    ctx.body = { items: await d.builds.versions(d.agents, ctx.state.auth.tenantId) };
  });
  // One agent's upgrade history: its version now and its UPGRADE_* events (task states: /tasks/:id).
  r.get('/agents/:id/upgrades', async (ctx) => {
    const id = ctx.params['id'] ?? '';
    const agent = await d.agents.find(ctx.state.auth.tenantId, id);
    if (!agent) throw hubError('NOT_FOUND', `no agent ${id}`);
    const events = await d.agents.eventsWithCodePrefix(ctx.state.auth.tenantId, id, 'UPGRADE_');
    ctx.body = {
      agentId: id,
      version: agent.version,
      events: events.map((e) => ({
        code: e.code,
        message: e.message,
        taskId: e.ref,
        details: JSON.parse(e.details) as unknown,
        createdAt: e.createdAt.toISOString(),
      })),
    };
  });
  r.post('/agents/upgrade', async (ctx) => {
    requirePermission(ctx, 'agents:admin');
    ctx.status = 202;
    ctx.body = await d.builds.upgrade(d.ds, d.tasks, d.agents, ctx.state.auth.tenantId, ctx.request.body);
  });
  return r;
}
