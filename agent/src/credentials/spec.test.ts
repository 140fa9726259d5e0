import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planHttpAttempts } from './checks/http.js';
import { parseRedisVersion } from './checks/redis.js';
import { SERVICE_CHECKS } from './index.js';
import { defaultPlan, findCheck } from './run.js';
import { HTTP_BASIC_PATHS, isLockoutMessage } from './spec.js';

test('every check has a short, documented list without duplicates', () => {
  for (const check of SERVICE_CHECKS) {
    assert.ok(check.credentials.length > 0 && check.credentials.length <= 6, `${check.service}: small list`);
    const keys = check.credentials.map((cred) => `${cred.username}\u0000${cred.password ?? '<none>'}`);
    assert.equal(new Set(keys).size, keys.length, `${check.service}: duplicates`);
    for (const cred of check.credentials)
      assert.ok(cred.why.length > 10, `${check.service}: why is documented`);
  }
});

test('credential methods match the credentials', () => {
  for (const check of SERVICE_CHECKS) {
    for (const cred of check.credentials) {
      if (cred.password === null) assert.ok(['no_auth', 'anonymous', 'trust'].includes(cred.method));
      else if (cred.password === '') assert.equal(cred.method, 'empty_password');
      else assert.equal(cred.method, 'default_password');
    }
  }
});

test('the cheapest, most telling attempt comes first', () => {
  const first = (service: string): string | undefined =>
    SERVICE_CHECKS.find((check) => check.service === service)?.credentials[0]?.method;
  assert.equal(first('redis'), 'no_auth');
  assert.equal(first('mysql'), 'empty_password');
  assert.equal(first('postgresql'), 'trust');
  assert.equal(first('mqtt'), 'anonymous');
  assert.deepEqual(
    SERVICE_CHECKS.find((check) => check.service === 'amqp')?.credentials[0],
    SERVICE_CHECKS.find((check) => check.service === 'amqp')?.credentials.find((c) => c.username === 'guest'),
  );
});

test('nmap service names select the right check', () => {
  const pick = (service: string): string | undefined =>
    findCheck(SERVICE_CHECKS, { host: '127.0.0.1', port: 1, service })?.service;
  assert.equal(pick('redis'), 'redis');
  assert.equal(pick('mysql'), 'mysql');
  assert.equal(pick('postgresql'), 'postgresql');
  assert.equal(pick('amqp'), 'amqp');
  assert.equal(pick('mqtt'), 'mqtt');
  assert.equal(pick('ssh'), 'ssh');
  assert.equal(pick('http'), 'http-basic');
  assert.equal(pick('HTTPS'), 'http-basic');
  assert.equal(pick('domain'), undefined);
  assert.equal(pick('nats'), undefined);
});

test('lockout messages of real servers are recognised, ordinary refusals are not', () => {
  assert.ok(
    isLockoutMessage('Received disconnect from 127.0.0.1 port 22:2: Too many authentication failures'),
  );
  assert.ok(
    isLockoutMessage(
      "Host 'db1' is blocked because of many connection errors; unblock with 'mariadb-admin flush-hosts'",
    ),
  );
  assert.ok(isLockoutMessage('Account is locked'));
  assert.ok(!isLockoutMessage("Access denied for user 'root'@'localhost' (using password: YES)"));
  assert.ok(!isLockoutMessage('WRONGPASS invalid username-password pair or user is disabled.'));
  assert.ok(!isLockoutMessage('Connection Refused: not authorized'));
});

test('HTTP plan probes every path before its credentials', () => {
  const plan = planHttpAttempts([
    { username: 'admin', password: 'admin', method: 'default_password', why: 'x' },
  ]);
  assert.equal(plan.length, HTTP_BASIC_PATHS.length * 2);
  HTTP_BASIC_PATHS.forEach((path, i) => {
    assert.deepEqual(plan[i * 2], { username: '', password: null, method: 'probe', group: path });
    assert.equal(plan[i * 2 + 1]?.group, path);
  });
  assert.equal(defaultPlan([{ username: 'u', password: null, method: 'trust', why: 'x' }]).length, 1);
});

test('redis version is read from INFO server', () => {
  assert.equal(
    parseRedisVersion('# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\n'),
    '7.0.15',
  );
  assert.equal(parseRedisVersion('# Server\r\nredis_git_sha1:0\r\n'), undefined);
});
