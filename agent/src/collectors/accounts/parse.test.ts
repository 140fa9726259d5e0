import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { watchpost } from '@watchpost/proto';
import { testdata } from '../../testing/paths.js';
import { buildAccounts, parseGroup, parsePasswd, parseShadow } from './parse.js';

const { PasswordState: S } = watchpost.v1;
const read = (name: string): string => readFileSync(testdata(name), 'utf8');

test('password states from shadow: set, locked, empty, unknown; never a hash', () => {
  const accounts = buildAccounts(parsePasswd(read('handmade-passwd')), parseShadow(read('handmade-shadow')));
  const state = Object.fromEntries(accounts.map((a) => [a.name, a.passwordState]));
  assert.deepEqual(state, {
    root: S.PASSWORD_STATE_SET,
    daemon: S.PASSWORD_STATE_LOCKED,
    alice: S.PASSWORD_STATE_SET,
    bob: S.PASSWORD_STATE_LOCKED,
    nopass: S.PASSWORD_STATE_EMPTY,
    svc: S.PASSWORD_STATE_LOCKED,
    legacy: S.PASSWORD_STATE_EMPTY,
    ghost: S.PASSWORD_STATE_UNKNOWN,
  });
  assert.ok(!JSON.stringify(accounts).includes('$'), 'no hash material may leave the parser');
  const alice = accounts.find((a) => a.name === 'alice');
  assert.deepEqual(
    alice && {
      uid: alice.uid,
      gid: alice.gid,
      home: alice.home,
      shell: alice.shell,
      gecos: alice.gecos,
      login: alice.loginShell,
    },
    {
      uid: 1000,
      gid: 1000,
      home: '/home/alice',
      shell: '/bin/zsh',
      gecos: 'Alice Example,,,',
      login: true,
    },
  );
  assert.equal(alice?.passwordChangedAtMs, 19800 * 86_400_000);
  assert.equal(accounts.find((a) => a.name === 'daemon')?.loginShell, false);
  assert.equal(accounts.find((a) => a.name === 'svc')?.loginShell, false);
});

test('shadow unreadable: every "x" account is UNKNOWN', () => {
  const accounts = buildAccounts(parsePasswd(read('handmade-passwd')), undefined);
  assert.ok(
    accounts.filter((a) => a.name !== 'legacy').every((a) => a.passwordState === S.PASSWORD_STATE_UNKNOWN),
  );
  assert.equal(accounts.length, 8);
});

test('groups with members (trimmed, empty entries dropped)', () => {
  const groups = parseGroup(read('handmade-group'));
  assert.deepEqual(
    groups.find((g) => g.name === 'sudo'),
    { name: 'sudo', gid: 27, members: ['alice', 'bob'] },
  );
  assert.deepEqual(groups.find((g) => g.name === 'docker')?.members, ['alice', 'bob']);
  assert.deepEqual(groups.find((g) => g.name === 'root')?.members, []);
  assert.equal(groups.length, 6);
});
