// `watchpost-hub user …`: console users. Passwords come from a file or stdin-free generation
// (printed once); they never appear on the command line, where `ps` would show them.
import { readFileSync } from 'node:fs';
import { CROSS_TENANT_ROLES, isRole, ROLES, UsersService, userView } from '../users/index.js';
import { parse, requireString, UsageError } from './args.js';
import { withStore } from './commands.js';
import { emit, table } from './output.js';

const USAGE = `usage: user create EMAIL --role ${ROLES.join('|')} [--tenant NAME] [--password-file F] [--name NAME]
       user list [--tenant NAME]
       user assign EMAIL --tenant NAME      (experts: add a tenant they work in)
       user disable EMAIL | user enable EMAIL`;

export async function userCommand(args: string[]): Promise<void> {
  const a = parse(args, {
    tenant: { type: 'string' },
    role: { type: 'string' },
    'password-file': { type: 'string' },
    name: { type: 'string' },
  });
  const [sub, email] = a.positionals;
  await withStore(a.str('data-dir'), async (tenancy) => {
    const users = new UsersService(tenancy.repo.dataSource, () => new Date());
    const tenantName = a.str('tenant');
    const tenant = tenantName === undefined ? null : await tenancy.requireTenant(tenantName);
    if (sub === 'create') {
      const role = requireString(a.str('role'), '--role');
      if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const file = a.str('password-file');
      const password = file === undefined ? undefined : readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      const created = await users.createUser({
        email: requireString(email, 'EMAIL'),
        role,
        tenantId: CROSS_TENANT_ROLES.has(role) ? null : (tenant?.id ?? null),
        password,
        displayName: a.str('name'),
      });
      if (CROSS_TENANT_ROLES.has(role) && tenant) await users.repo.assignTenant(created.user.id, tenant.id);
      emit(
        a.json,
        created,
        `user ${created.user.email} (${created.user.role}) created` +
          (created.password ? `\npassword (shown once): ${created.password}` : ''),
      );
    } else if (sub === 'list') {
      const items = (await users.repo.listUsers(tenant?.id)).map(userView);
      emit(
        a.json,
        { items },
        table(items as unknown as Record<string, unknown>[], ['email', 'role', 'tenantId', 'disabled']),
      );
    } else if (sub === 'assign') {
      const user = await users.requireUserByEmail(requireString(email, 'EMAIL'));
      if (!tenant) throw new UsageError('user assign needs --tenant');
      if (user.role !== 'expert') throw new UsageError('only experts are assigned tenants');
      await users.repo.assignTenant(user.id, tenant.id);
      emit(a.json, { email: user.email, tenant: tenant.name }, `${user.email} now works in ${tenant.name}`);
    } else if (sub === 'disable' || sub === 'enable') {
      const user = await users.requireUserByEmail(requireString(email, 'EMAIL'));
      await users.repo.updateUser(user.id, { disabled: sub === 'disable' });
      if (sub === 'disable') await users.repo.deleteSessionsOf(user.id);
      emit(a.json, { email: user.email, disabled: sub === 'disable' }, `${user.email} ${sub}d`);
    } else throw new UsageError(USAGE);
  });
}
