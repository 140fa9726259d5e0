export { tenancyEntities, type Tenant } from './entities.js';
export { tenancyMigrations } from './migrations.js';
export { DEFAULT_TENANT_SCOPE, parseScopeList, TenantScopeStore } from './scope.js';
export { TenancyService, type EnrollmentCheck, type CreatedEnrollmentToken } from './service.js';
export { loadOrCreateHubKey, type HubIdentity } from './hub-key.js';
export { parseDuration, hashSecret, generateSecret, enrollmentRefusal } from './secrets.js';
export { DEFAULT_TENANT_TIMEZONE, parseTimezone } from './timezone.js';
export { tenancyRouter } from './routes.js';
export type { TenantScopeView, CreatedEnrollmentTokenView } from './api-types.js';
