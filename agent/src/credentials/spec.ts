// Declarative spec of the weak/default credential checks: which services, which credentials and
// why each one is on the list, and the limits the runner obeys. The lists are deliberately short:
// the goal is to catch factory defaults and "no auth at all", not to brute-force anyone.

export type CredentialMethod = 'no_auth' | 'anonymous' | 'trust' | 'empty_password' | 'default_password';

export interface DefaultCredential {
  /** Empty for protocols without user names (Redis default user, anonymous MQTT). */
  username: string;
  /** null = do not authenticate at all (no AUTH, anonymous CONNECT, trust). */
  password: string | null;
  method: CredentialMethod;
  why: string;
}

export const CREDENTIAL_LIMITS = {
  /** Minimum gap between the starts of two attempts against the same host. */
  perHostIntervalMs: 500,
  /** Each attempt (connect + authenticate + proof query) must finish within this. */
  timeoutMs: 5000,
  /** Hosts checked in parallel; attempts against one host are always sequential. */
  hostConcurrency: 4,
} as const;

/**
 * Server replies that mean "stop trying": continuing would lock an account or the whole host out.
 * Matched case-insensitively against error messages of every protocol; MySQL errno 1129 and HTTP
 * 423/429 are recognised by code in their checks as well.
 */
export const LOCKOUT_PATTERNS: readonly RegExp[] = [
  /too many authentication failures/i,
  /blocked because of many connection errors/i,
  /too many (failed|login|connection|auth\w*) attempts/i,
  /account (is |has been )?locked/i,
  /temporarily (blocked|locked)/i,
];

export function isLockoutMessage(message: string): boolean {
  return LOCKOUT_PATTERNS.some((pattern) => pattern.test(message));
}

const c = (
  username: string,
  password: string | null,
  method: CredentialMethod,
  why: string,
): DefaultCredential => ({
  username,
  password,
  method,
  why,
});

export const REDIS_CREDENTIALS: readonly DefaultCredential[] = [
  c('', null, 'no_auth', 'Redis ships without requirepass; protected mode only guards non-loopback clients'),
  c(
    '',
    'foobared',
    'default_password',
    'the example requirepass in the stock redis.conf, often uncommented as is',
  ),
  c('', 'redis', 'default_password', 'common container/chart default'),
  c('', 'password', 'default_password', 'most common placeholder password'),
];

export const MYSQL_CREDENTIALS: readonly DefaultCredential[] = [
  c('root', '', 'empty_password', 'mysql_install_db / MariaDB packages create root without a password'),
  c('root', 'root', 'default_password', 'common docker-compose and tutorial default'),
  c('root', 'mysql', 'default_password', 'common appliance default'),
  c('root', 'password', 'default_password', 'most common placeholder password'),
];

export const POSTGRES_CREDENTIALS: readonly DefaultCredential[] = [
  c(
    'postgres',
    null,
    'trust',
    'pg_hba.conf "trust" lets anyone claiming to be postgres in without a password',
  ),
  c('postgres', 'postgres', 'default_password', 'the official image examples and many compose files'),
  c('postgres', 'password', 'default_password', 'most common placeholder password'),
];

export const AMQP_CREDENTIALS: readonly DefaultCredential[] = [
  c('guest', 'guest', 'default_password', 'RabbitMQ default user (loopback-only since 3.3, still enabled)'),
  c('admin', 'admin', 'default_password', 'common management/compose default'),
];

export const MQTT_CREDENTIALS: readonly DefaultCredential[] = [
  c('', null, 'anonymous', 'Mosquitto < 2.0 and many brokers allow anonymous CONNECT'),
  c('admin', 'admin', 'default_password', 'common broker/appliance default'),
  c('admin', 'password', 'default_password', 'common broker/appliance default'),
  c('guest', 'guest', 'default_password', 'RabbitMQ MQTT plugin maps to the guest user'),
];

export const SSH_CREDENTIALS: readonly DefaultCredential[] = [
  c('root', 'root', 'default_password', 'embedded devices and lab images'),
  c('root', 'toor', 'default_password', 'Kali and derived images'),
  c('admin', 'admin', 'default_password', 'network appliances'),
  c('pi', 'raspberry', 'default_password', 'Raspberry Pi OS before 2022'),
];

export const HTTP_BASIC_CREDENTIALS: readonly DefaultCredential[] = [
  c('admin', 'admin', 'default_password', 'routers, cameras, printers, admin consoles'),
  c('admin', 'password', 'default_password', 'common appliance default'),
  c('tomcat', 'tomcat', 'default_password', 'Tomcat manager example user from tomcat-users.xml'),
  c('root', 'root', 'default_password', 'embedded web UIs'),
];

/** Paths that commonly sit behind HTTP basic auth; each is probed without credentials first. */
export const HTTP_BASIC_PATHS: readonly string[] = ['/', '/admin', '/manager/html', '/login'];

/** nmap service names (from -sV) each check applies to. */
export const NMAP_SERVICES = {
  redis: ['redis'],
  mysql: ['mysql'],
  postgresql: ['postgresql'],
  amqp: ['amqp'],
  mqtt: ['mqtt'],
  ssh: ['ssh'],
  'http-basic': ['http', 'http-alt', 'http-proxy', 'https', 'https-alt'],
} as const;
