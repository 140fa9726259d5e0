// Shared shapes every hub domain module is wired with. A domain exports one
// `createXModule(deps)`; the server passes the data source, the clock and a logger in, so no
// domain reaches for globals.
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Router as KoaRouter } from '@koa/router';

export interface HubModuleDeps {
  dataSource: DataSource;
  clock: () => Date;
  log: Logger;
}

/** Set by the bearer-auth middleware on every /api/v1/* request. */
export interface AuthState {
  auth: { tenantId: string; tokenId: string };
}

/** A domain's koa router; paths are declared WITHOUT the /api/v1 prefix (the app mounts them). */
export type Router<S> = KoaRouter<S>;
