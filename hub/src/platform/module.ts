// Shared shapes every hub domain module is wired with. A domain exports one
// `createXModule(deps)`; the server passes the data source, the clock and a logger in, so no
// domain reaches for globals.
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Router as KoaRouter } from '@koa/router';
import type { Role } from '../users/roles.js';

export interface HubModuleDeps {
  dataSource: DataSource;
  clock: () => Date;
  log: Logger;
}

/** Set by the auth middleware on every /api/v1/* request (hub/src/http/auth.ts). */
export interface AuthState {
  auth: {
    /** The tenant the request acts in: the API token's, or the one a console user selected. */
    tenantId: string;
    /** Who, for audit trails: an API token id, or `user:<id>`. */
    tokenId: string;
    role: Role;
    userId: string | null;
    sessionId: string | null;
  };
}

/** A domain's koa router; paths are declared WITHOUT the /api/v1 prefix (the app mounts them). */
export type Router<S> = KoaRouter<S>;
