// Console users, roles and sessions.
import type { EntitySchema, MigrationInterface } from 'typeorm';
import { SessionEntity, UserEntity, UserTenantEntity } from './entities.js';
import { Users1764560000000 } from './migrations.js';

export { UsersService, userView, type UserView, type TenantRef, SESSION_IDLE_MS } from './service.js';
export { authRouter, usersRouter } from './routes.js';
export {
  ROLES,
  PERMISSIONS,
  CROSS_TENANT_ROLES,
  can,
  isRole,
  requirePermission,
  type Role,
  type Permission,
} from './roles.js';
export { checkPasswordStrength, MIN_PASSWORD_LENGTH } from './password.js';

export const usersEntities: EntitySchema[] = [UserEntity, UserTenantEntity, SessionEntity] as EntitySchema[];
export const usersMigrations: (new () => MigrationInterface)[] = [Users1764560000000];
