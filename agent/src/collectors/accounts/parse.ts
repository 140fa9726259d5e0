// Pure parsers of /etc/passwd, /etc/shadow and /etc/group. From shadow only the password *state*
// is derived (set / empty / locked); the hash itself never leaves this function.
import { watchpost } from '@watchpost/proto';

const { PasswordState } = watchpost.v1;

export interface PasswdEntry {
  name: string;
  passwordField: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
}

export interface ShadowState {
  state: watchpost.v1.PasswordState;
  changedAtMs: number;
}

export interface AccountRecord {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
  gecos: string;
  passwordState: watchpost.v1.PasswordState;
  loginShell: boolean;
  passwordChangedAtMs: number;
}

export interface GroupRecord {
  name: string;
  gid: number;
  members: string[];
}

function dataLines(text: string): string[][] {
  return text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '' && !l.startsWith('#') && !l.startsWith('+') && !l.startsWith('-'))
    .map((l) => l.split(':'));
}

export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const f of dataLines(text)) {
    if (f.length < 7 || !f[0]) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue;
    out.push({
      name: f[0],
      passwordField: f[1] ?? '',
      uid,
      gid,
      gecos: f[4] ?? '',
      home: f[5] ?? '',
      shell: f.slice(6).join(':'),
    });
  }
  return out;
}

/** name → password state; the hash is inspected for its shape only and dropped. */
export function parseShadow(text: string): Map<string, ShadowState> {
  const out = new Map<string, ShadowState>();
  for (const f of dataLines(text)) {
    if (f.length < 2 || !f[0]) continue;
    const lastChangeDays = Number(f[2]);
    out.set(f[0], {
      state: passwordStateOf(f[1] ?? ''),
      changedAtMs: Number.isInteger(lastChangeDays) && lastChangeDays > 0 ? lastChangeDays * 86_400_000 : 0,
    });
  }
  return out;
}

export function passwordStateOf(field: string): watchpost.v1.PasswordState {
  if (field === '') return PasswordState.PASSWORD_STATE_EMPTY;
  if (field.startsWith('!') || field.startsWith('*')) return PasswordState.PASSWORD_STATE_LOCKED;
  return PasswordState.PASSWORD_STATE_SET;
}

export function parseGroup(text: string): GroupRecord[] {
  const out: GroupRecord[] = [];
  for (const f of dataLines(text)) {
    if (f.length < 3 || !f[0]) continue;
    const gid = Number(f[2]);
    if (!Number.isInteger(gid)) continue;
    out.push({
      name: f[0],
      gid,
      members: (f[3] ?? '')
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean),
    });
  }
  return out;
}

const NO_LOGIN = /(^|\/)(nologin|false)$/;

/** shadow undefined = not readable: the state is UNKNOWN unless passwd itself tells. */
export function buildAccounts(
  passwd: readonly PasswdEntry[],
  shadow: Map<string, ShadowState> | undefined,
): AccountRecord[] {
  return passwd.map((p) => {
    const s = shadow?.get(p.name);
    let passwordState: watchpost.v1.PasswordState = PasswordState.PASSWORD_STATE_UNKNOWN;
    if (p.passwordField !== 'x') passwordState = passwordStateOf(p.passwordField);
    else if (s) passwordState = s.state;
    return {
      name: p.name,
      uid: p.uid,
      gid: p.gid,
      home: p.home,
      shell: p.shell,
      gecos: p.gecos,
      passwordState,
      loginShell: !NO_LOGIN.test(p.shell.trim()),
      passwordChangedAtMs: s?.changedAtMs ?? 0,
    };
  });
}
