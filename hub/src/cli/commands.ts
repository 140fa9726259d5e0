// Store-administration commands: tenant, token, apitoken, agent, migrate. Each opens the store
// (applying pending migrations, so a fresh data dir works without `serve`), acts, and closes it.
import { createLogger } from '../platform/log.js';
import { loadConfig } from '../config/index.js';
import { openStore } from '../db/data-source.js';
import { AgentsService, agentView } from '../agents/index.js';
import { parseDuration, parseScopeList, TenancyService, TenantScopeStore } from '../tenancy/index.js';
import { parse, positiveIntFlag, requireString, UsageError, type ParsedArgs } from './args.js';
import { emit, table } from './output.js';
import { installCommand } from '../builds/index.js';

export async function withStore<T>(
  dataDir: string | undefined,
  fn: (t: TenancyService, a: AgentsService) => Promise<T>,
) {
  const config = loadConfig({ dataDir });
  const ds = await openStore(config, true);
  try {
    const clock = () => new Date();
    return await fn(new TenancyService(ds, clock), new AgentsService(ds, clock));
  } finally {
    await ds.destroy();
  }
}

export async function migrateCommand(args: string[]): Promise<void> {
  const a = parse(args, {});
  const config = loadConfig({ dataDir: a.str('data-dir') });
  const ds = await openStore(config, false);
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    const names = ran.map((m) => m.name);
    emit(a.json, { applied: names }, names.length ? `applied: ${names.join(', ')}` : 'schema up to date');
  } finally {
    await ds.destroy();
  }
}

export async function tenantCommand(args: string[]): Promise<void> {
  const a = parse(args, {});
  const [sub, name] = a.positionals;
  await withStore(a.str('data-dir'), async (tenancy) => {
    if (sub === 'create') {
      const t = await tenancy.createTenant(requireString(name, 'NAME'));
      emit(a.json, { id: t.id, name: t.name }, `tenant ${t.name} created: ${t.id}`);
    } else if (sub === 'list') {
      const items = (await tenancy.listTenants()).map((t) => ({
        id: t.id,
        name: t.name,
        timezone: t.timezone,
        createdAt: t.createdAt.toISOString(),
      }));
      emit(a.json, { items }, table(items, ['id', 'name', 'timezone', 'createdAt']));
    } else if (sub === 'scope') {
      await scopeCommand(a, tenancy);
    } else if (sub === 'timezone') {
      await timezoneCommand(a, tenancy);
    } else
      throw new UsageError(
        'usage: tenant create NAME | tenant list | tenant scope set|show NAME | tenant timezone set NAME ZONE',
      );
  });
}

/** `tenant scope set NAME CIDR[,CIDR…]` and `tenant scope show NAME`. */
async function scopeCommand(a: ParsedArgs, tenancy: TenancyService): Promise<void> {
  const [, action, name, list] = a.positionals;
  const tenant = await tenancy.requireTenant(requireString(name, 'NAME'));
  const scopes = new TenantScopeStore(tenancy.repo.dataSource, () => new Date());
  if (action === 'set') {
    const cidrs = await scopes.set(tenant.id, parseScopeList(requireString(list, 'CIDR[,CIDR…]')));
    emit(a.json, { tenant: tenant.name, scope: cidrs }, `scope of ${tenant.name}: ${cidrs.join(',')}`);
  } else if (action === 'show') {
    const cidrs = await scopes.get(tenant.id);
    emit(a.json, { tenant: tenant.name, scope: cidrs, timezone: tenant.timezone }, cidrs.join('\n'));
  } else throw new UsageError('usage: tenant scope set NAME CIDR[,CIDR…] | tenant scope show NAME');
}

/** `tenant timezone set NAME ZONE`: the zone scan windows without their own are read in. */
async function timezoneCommand(a: ParsedArgs, tenancy: TenancyService): Promise<void> {
  const [, action, name, zone] = a.positionals;
  if (action !== 'set')
    throw new UsageError('usage: tenant timezone set NAME ZONE (IANA, e.g. Europe/Berlin)');
  const tenant = await tenancy.requireTenant(requireString(name, 'NAME'));
  const scopes = new TenantScopeStore(tenancy.repo.dataSource, () => new Date());
  const tz = await scopes.setTimezone(tenant.id, requireString(zone, 'ZONE'));
  emit(a.json, { tenant: tenant.name, timezone: tz }, `timezone of ${tenant.name}: ${tz}`);
}

export async function tokenCommand(args: string[]): Promise<void> {
  const a = parse(args, {
    tenant: { type: 'string' },
    expires: { type: 'string' },
    uses: { type: 'string' },
    'hub-url': { type: 'string' },
  });
  const [sub, id] = a.positionals;
  await withStore(a.str('data-dir'), async (tenancy) => {
    const tenant = await tenancy.requireTenant(requireString(a.str('tenant'), '--tenant'));
    if (sub === 'create') {
      const ms = parseDuration(a.str('expires') ?? '24h');
      const t = await tenancy.createEnrollmentToken(tenant.id, ms, positiveIntFlag(a.str('uses'), '--uses'));
      // The URL agents reach this hub at (behind a proxy or TLS it differs from --listen).
      const { listen } = loadConfig({ dataDir: a.str('data-dir') });
      const hubUrl = (a.str('hub-url') ?? `http://${listen.host}:${listen.port}`).replace(/\/+$/, '');
      const install = installCommand(hubUrl, t.token);
      emit(
        a.json,
        { ...t, installCommand: install },
        `enrollment token (shown once): ${t.token}\nid ${t.id}, expires ${t.expiresAt}\ninstall: ${install}`,
      );
    } else if (sub === 'list') {
      const items = await tenancy.listEnrollmentTokens(tenant.id);
      emit(
        a.json,
        { items },
        table(items as unknown as Record<string, unknown>[], [
          'id',
          'expiresAt',
          'usesLeft',
          'usesCount',
          'revoked',
        ]),
      );
    } else if (sub === 'revoke') {
      await tenancy.revokeEnrollmentToken(tenant.id, requireString(id, 'ID'));
      emit(a.json, { id, revoked: true }, `token ${id} revoked`);
    } else throw new UsageError('usage: token create|list|revoke --tenant NAME');
  });
}

export async function apitokenCommand(args: string[]): Promise<void> {
  const a = parse(args, { tenant: { type: 'string' }, name: { type: 'string' } });
  if (a.positionals[0] !== 'create')
    throw new UsageError('usage: apitoken create --tenant NAME [--name LABEL]');
  await withStore(a.str('data-dir'), async (tenancy) => {
    const tenant = await tenancy.requireTenant(requireString(a.str('tenant'), '--tenant'));
    const t = await tenancy.createApiToken(tenant.id, a.str('name') ?? 'api');
    emit(a.json, t, `API token (shown once): ${t.token}\nid ${t.id}`);
  });
}

export async function agentCommand(args: string[]): Promise<void> {
  const a = parse(args, { tenant: { type: 'string' } });
  const [sub, id] = a.positionals;
  await withStore(a.str('data-dir'), async (tenancy, agents) => {
    const tenant = await tenancy.requireTenant(requireString(a.str('tenant'), '--tenant'));
    if (sub === 'list') {
      const items = await agents.list(tenant.id);
      emit(
        a.json,
        { items },
        table(items as unknown as Record<string, unknown>[], [
          'id',
          'hostname',
          'version',
          'online',
          'lastSeq',
          'revoked',
        ]),
      );
    } else if (sub === 'revoke') {
      const agent = await agents.revoke(tenant.id, requireString(id, 'AGENT_ID'));
      emit(a.json, agentView(agent), `agent ${agent.id} revoked`);
    } else throw new UsageError('usage: agent list|revoke --tenant NAME [AGENT_ID]');
  });
}

export { createLogger };
