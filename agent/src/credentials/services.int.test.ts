// The real services of the development/CI machine on loopback are the test: each must be reported
// with the weakness it really has. URLs come from the env set by .ci/run; unset → skip with reason.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { runCredentialChecks, SERVICE_CHECKS, type CredentialTarget } from './index.js';
import { runChecks } from './run.js';
import { captureLog, parsed } from './testing/captureLog.js';
import type { ServiceCheck } from './types.js';

interface Case {
  env: string;
  service: string;
  defaultPort: number;
  expect: { service: string; method: string; username: string; proof: RegExp };
}

const CASES: Case[] = [
  {
    env: 'WATCHPOST_TEST_REDIS_URL',
    service: 'redis',
    defaultPort: 6379,
    expect: {
      service: 'redis',
      method: 'no_auth',
      username: '',
      proof: /^AUTH not required; INFO server redis_version=\d/,
    },
  },
  {
    env: 'WATCHPOST_TEST_MARIADB_URL',
    service: 'mysql',
    defaultPort: 3306,
    expect: {
      service: 'mysql',
      method: 'empty_password',
      username: 'root',
      proof: /empty password; VERSION\(\)=.*MariaDB/,
    },
  },
  {
    env: 'WATCHPOST_TEST_DATABASE_URL',
    service: 'postgresql',
    defaultPort: 5432,
    expect: {
      service: 'postgresql',
      method: 'trust',
      username: 'postgres',
      proof: /\(trust\); server_version=\d/,
    },
  },
  {
    env: 'WATCHPOST_TEST_AMQP_URL',
    service: 'amqp',
    defaultPort: 5672,
    expect: {
      service: 'amqp',
      method: 'default_password',
      username: 'guest',
      proof: /password g\*{6}t; product=RabbitMQ/,
    },
  },
  {
    env: 'WATCHPOST_TEST_MQTT_URL',
    service: 'mqtt',
    defaultPort: 1883,
    expect: {
      service: 'mqtt',
      method: 'anonymous',
      username: '',
      proof: /^CONNECT without credentials accepted \(CONNACK 0\)$/,
    },
  },
];

const LOOPBACK = new Set(['127.0.0.1', '[::1]', '::1', 'localhost']);

function targetFrom(c: Case, raw: string): CredentialTarget {
  const url = new URL(raw);
  assert.ok(LOOPBACK.has(url.hostname), `${c.env} must point at loopback, got ${url.hostname}`);
  const host = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname.replace(/^\[|\]$/g, '');
  return { host, port: url.port ? Number(url.port) : c.defaultPort, service: c.service };
}

async function assertReachable(env: string, target: CredentialTarget): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host: target.host, port: target.port });
    socket.setTimeout(5000, () => socket.destroy(new Error('connect timeout')));
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', (err) =>
      reject(new Error(`${env} is set but ${target.host}:${target.port} is unreachable: ${err.message}`)),
    );
  });
}

for (const c of CASES) {
  const raw = process.env[c.env];
  test(
    `reports ${c.expect.service} ${c.expect.method} on the real service`,
    { skip: raw ? false : `${c.env} is not set` },
    async () => {
      const target = targetFrom(c, raw ?? '');
      await assertReachable(c.env, target);
      const { log, lines } = captureLog();
      const results = await runCredentialChecks([target], { perHostIntervalMs: 100, logger: log });
      assert.equal(results.length, 1, `expected one finding, got ${JSON.stringify(results)}`);
      const [finding] = results;
      assert.equal(finding?.service, c.expect.service);
      assert.equal(finding?.method, c.expect.method);
      assert.equal(finding?.username, c.expect.username);
      assert.equal(finding?.port, target.port);
      assert.equal(finding?.protocol, 'tcp');
      assert.match(finding?.proof ?? '', c.expect.proof);
      // The accepted password (guest for RabbitMQ) must appear nowhere except as the user name.
      const text = (JSON.stringify(results) + lines.join('\n'))
        .split(`"username":"${c.expect.username}"`)
        .join('');
      if (c.expect.username === 'guest') assert.ok(!text.replace(/login as guest/g, '').includes('guest'));
    },
  );
}

// Refusals on the real services: wrong passwords are tried in order, give no finding, and none
// of them shows up in results or logs.
const REFUSAL_CASES = [
  { env: 'WATCHPOST_TEST_MARIADB_URL', service: 'mysql', defaultPort: 3306, username: 'root' },
  { env: 'WATCHPOST_TEST_AMQP_URL', service: 'amqp', defaultPort: 5672, username: 'guest' },
] as const;

for (const c of REFUSAL_CASES) {
  const raw = process.env[c.env];
  test(
    `${c.service}: refused passwords give no finding and never leak`,
    { skip: raw ? false : `${c.env} is not set` },
    async () => {
      const base = SERVICE_CHECKS.find((check) => check.service === c.service);
      assert.ok(base);
      const canaries = ['canary-refused-1-Qw9', 'canary-refused-2-Er4'];
      const check: ServiceCheck = {
        ...base,
        credentials: canaries.map((password) => ({
          username: c.username,
          password,
          method: 'default_password',
          why: 'test',
        })),
      };
      const target = targetFrom(
        { ...c, expect: { service: c.service, method: '', username: '', proof: /./ } },
        raw ?? '',
      );
      await assertReachable(c.env, target);
      const { log, lines } = captureLog();
      const results = await runChecks([check], [target], { perHostIntervalMs: 50, logger: log });
      assert.deepEqual(results, []);
      const entries = parsed(lines);
      assert.equal(
        entries.find((e) => e['msg'] === 'credential check stopped'),
        undefined,
        lines.join('\n'),
      );
      assert.equal(entries.find((e) => e['msg'] === 'no default credential accepted')?.['attempts'], 2);
      for (const password of canaries) assert.ok(!lines.join('\n').includes(password));
    },
  );
}
