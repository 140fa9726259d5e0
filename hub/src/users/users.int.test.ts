// Console users against a real hub process: scrypt login with back-off, httpOnly SameSite
// session cookie, CSRF on unsafe methods, roles, tenant switching, foreign ids answer 404.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { enrollAgent, startHub, type RunningHubProcess } from '../testing/index.js';

interface Browser {
  cookie: string;
  csrf: string;
}

describe('console users and sessions', () => {
  let hub: RunningHubProcess;
  const tenants: Record<string, string> = {};
  let globexAgent = '';
  const dir = mkdtempSync(join(tmpdir(), 'wp-users-'));
  const pwFile = join(dir, 'pw');
  const password = 'correct horse battery staple';

  const call = async (path: string, init: RequestInit & { as?: Browser; tenant?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.as) headers.set('cookie', init.as.cookie);
    if (init.tenant) headers.set('x-watchpost-tenant', init.tenant);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    const res = await fetch(hub.url + path, { ...init, headers });
    const text = await res.text();
    return { status: res.status, res, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const login = async (email: string, pw = password) => {
    const r = await call('/api/v1/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email, password: pw }),
    });
    return r;
  };
  const browser = async (email: string): Promise<Browser> => {
    const r = await login(email);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const cookie = (r.res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    return { cookie, csrf: String(r.body['csrfToken']) };
  };

  before(async () => {
    writeFileSync(pwFile, `${password}\n`);
    hub = await startHub();
    for (const name of ['acme', 'globex']) {
      tenants[name] = String(((await hub.cli(['tenant', 'create', name])) as { id: string }).id);
    }
    const mk = (email: string, role: string, tenant?: string) =>
      hub.cli([
        'user',
        'create',
        email,
        '--role',
        role,
        '--password-file',
        pwFile,
        ...(tenant ? ['--tenant', tenant] : []),
      ]);
    await mk('admin@acme.test', 'tenant_admin', 'acme');
    await mk('viewer@acme.test', 'viewer', 'acme');
    await mk('expert@mssp.test', 'expert', 'acme');
    await hub.cli(['user', 'assign', 'expert@mssp.test', '--tenant', 'globex']);
    await mk('lonely@mssp.test', 'expert');
    const token = String((await hub.cli(['token', 'create', '--tenant', 'globex']))['token']);
    globexAgent = (await enrollAgent(hub.wsUrl, token)).agentId;
  });
  after(async () => {
    await hub.kill('SIGTERM');
  });

  test('a generated password is printed once and works; short passwords are refused', async () => {
    const made = await hub.cli([
      'user',
      'create',
      'gen@acme.test',
      '--role',
      'tenant_analyst',
      '--tenant',
      'acme',
    ]);
    const generated = String(made['password']);
    assert.ok(generated.length >= 20);
    assert.equal((await login('gen@acme.test', generated)).status, 200);
    writeFileSync(join(dir, 'short'), 'short');
    await assert.rejects(
      hub.cli([
        'user',
        'create',
        'x@acme.test',
        '--role',
        'viewer',
        '--tenant',
        'acme',
        '--password-file',
        join(dir, 'short'),
      ]),
      /at least 12 characters/,
    );
  });

  test('login sets an httpOnly SameSite=Strict cookie; wrong passwords and unknown users look the same', async () => {
    const ok = await login('ADMIN@acme.test');
    assert.equal(ok.status, 200);
    const setCookie = ok.res.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^wp_session=wps_/);
    assert.match(setCookie, /httponly/i);
    assert.match(setCookie, /samesite=strict/i);
    assert.deepEqual(
      (ok.body['tenants'] as { name: string }[]).map((t) => t.name),
      ['acme'],
    );
    const wrong = await login('admin@acme.test', 'not the password!!');
    const unknown = await login('nobody@acme.test');
    assert.deepEqual([wrong.status, wrong.body['code']], [401, 'UNAUTHENTICATED']);
    assert.deepEqual([unknown.status, unknown.body['message']], [401, wrong.body['message']]);
  });

  test('repeated failures lock the account with back-off, even for the right password', async () => {
    await hub.cli([
      'user',
      'create',
      'target@acme.test',
      '--role',
      'viewer',
      '--tenant',
      'acme',
      '--password-file',
      pwFile,
    ]);
    for (let i = 0; i < 5; i++)
      assert.equal((await login('target@acme.test', `guess-number-${i}`)).status, 401);
    const locked = await login('target@acme.test');
    assert.equal(locked.status, 429);
    assert.equal(locked.body['code'], 'RATE_LIMITED');
  });

  test('session cookie authenticates the API; unsafe methods need the CSRF header', async () => {
    const b = await browser('admin@acme.test');
    const me = await call('/api/v1/auth/me', { as: b });
    assert.equal((me.body['session'] as { user: { role: string } }).user.role, 'tenant_admin');
    assert.equal((await call('/api/v1/agents', { as: b })).status, 200);
    const noCsrf = await call('/api/v1/users', {
      method: 'POST',
      as: b,
      body: JSON.stringify({ email: 'new@acme.test', role: 'viewer', password }),
    });
    assert.deepEqual([noCsrf.status, noCsrf.body['code']], [403, 'FORBIDDEN']);
    const withCsrf = await call('/api/v1/users', {
      method: 'POST',
      as: b,
      headers: { 'x-csrf-token': b.csrf },
      body: JSON.stringify({ email: 'new@acme.test', role: 'viewer', password }),
    });
    assert.equal(withCsrf.status, 201, JSON.stringify(withCsrf.body));
  });

  test('tenant users see only their tenant; a foreign id answers 404; viewers cannot write', async () => {
    const admin = await browser('admin@acme.test');
    const foreign = await call('/api/v1/agents', {
      as: admin,
      tenant: tenants['globex'] ?? '',
    });
    assert.equal(foreign.status, 403);
    const agent = await call(`/api/v1/agents/${globexAgent}`, { as: admin });
    assert.equal(agent.status, 404);
    const revoke = await call(`/api/v1/agents/${globexAgent}/revoke`, {
      method: 'POST',
      as: admin,
      headers: { 'x-csrf-token': admin.csrf },
    });
    assert.equal(revoke.status, 404);
    const viewer = await browser('viewer@acme.test');
    const denied = await call('/api/v1/users', {
      method: 'POST',
      as: viewer,
      headers: { 'x-csrf-token': viewer.csrf },
      body: JSON.stringify({ email: 'v2@acme.test', role: 'viewer', password }),
    });
    assert.equal(denied.status, 403);
  });

  test('experts switch between their assigned tenants only', async () => {
    const expert = await browser('expert@mssp.test');
    const me = await call('/api/v1/auth/me', { as: expert });
    assert.deepEqual(
      (me.body['session'] as { tenants: { name: string }[] }).tenants.map((t) => t.name),
      ['acme', 'globex'],
    );
    const inGlobex = await call(`/api/v1/agents/${globexAgent}`, {
      as: expert,
      tenant: tenants['globex'] ?? '',
    });
    assert.equal(inGlobex.status, 200);
    const inAcme = await call(`/api/v1/agents/${globexAgent}`, { as: expert, tenant: tenants['acme'] ?? '' });
    assert.equal(inAcme.status, 404);
    const lonely = await browser('lonely@mssp.test');
    assert.equal((await call('/api/v1/agents', { as: lonely })).status, 403);
  });

  test('GETs may name the tenant as ?tenant= (EventSource sends no headers); membership still applies', async () => {
    const expert = await browser('expert@mssp.test');
    const q = (tenant: string) => `/api/v1/agents/${globexAgent}?tenant=${tenant}`;
    assert.equal((await call(q(tenants['globex'] ?? ''), { as: expert })).status, 200);
    assert.equal((await call(q(tenants['acme'] ?? ''), { as: expert })).status, 404);
    // The header wins over the query; a tenant the user is not assigned to is refused.
    const both = await call(q(tenants['acme'] ?? ''), { as: expert, tenant: tenants['globex'] ?? '' });
    assert.equal(both.status, 200);
    const admin = await browser('admin@acme.test');
    assert.equal((await call(q(tenants['globex'] ?? ''), { as: admin })).status, 403);
    // Unsafe methods never take the tenant from the URL: acme (the expert's first tenant) it is.
    const revoke = await call(`/api/v1/agents/${globexAgent}/revoke?tenant=${tenants['globex'] ?? ''}`, {
      method: 'POST',
      as: expert,
      headers: { 'x-csrf-token': expert.csrf },
    });
    assert.equal(revoke.status, 404);
  });

  test('module permissions: an analyst may not change policies or decide drift; an admin may', async () => {
    await hub.cli([
      'user',
      'create',
      'analyst@acme.test',
      '--role',
      'tenant_analyst',
      '--tenant',
      'acme',
      '--password-file',
      pwFile,
    ]);
    const analyst = await browser('analyst@acme.test');
    const admin = await browser('admin@acme.test');
    const attempt = (b: Browser, path: string) =>
      call(path, {
        method: 'POST',
        as: b,
        headers: { 'x-csrf-token': b.csrf },
        body: JSON.stringify({ yaml: 'id: x' }),
      });
    for (const path of [
      '/api/v1/policies',
      '/api/v1/drift/events/00000000-0000-4000-8000-000000000000/accept',
    ]) {
      const denied = await attempt(analyst, path);
      assert.deepEqual([denied.status, denied.body['code']], [403, 'FORBIDDEN'], path);
      const allowed = await attempt(admin, path);
      assert.notEqual(allowed.status, 403, `${path}: ${JSON.stringify(allowed.body)}`);
    }
  });

  test('password change ends other sessions; logout ends this one', async () => {
    await hub.cli([
      'user',
      'create',
      'mover@acme.test',
      '--role',
      'tenant_analyst',
      '--tenant',
      'acme',
      '--password-file',
      pwFile,
    ]);
    const first = await browser('mover@acme.test');
    const second = await browser('mover@acme.test');
    const next = 'an even better passphrase';
    const changed = await call('/api/v1/auth/password', {
      method: 'POST',
      as: first,
      headers: { 'x-csrf-token': first.csrf },
      body: JSON.stringify({ current: password, next }),
    });
    assert.equal(changed.status, 204);
    assert.equal((await call('/api/v1/agents', { as: second })).status, 401);
    assert.equal((await call('/api/v1/agents', { as: first })).status, 200);
    assert.equal((await login('mover@acme.test', next)).status, 200);
    const out = await call('/api/v1/auth/logout', {
      method: 'POST',
      as: first,
      headers: { 'x-csrf-token': first.csrf },
    });
    assert.equal(out.status, 204);
    assert.equal((await call('/api/v1/agents', { as: first })).status, 401);
  });
});
