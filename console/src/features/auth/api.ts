import * as z from 'zod/mini';
import { requestJson } from '../../api/http';
import { sessionSchema, setSession, type SessionInfo } from '../../api/session';

export async function login(email: string, password: string): Promise<SessionInfo> {
  const info = await requestJson('/api/v1/auth/login', sessionSchema, {
    method: 'POST',
    body: { email, password },
  });
  setSession(info);
  return info;
}

/** The current session, or null when not logged in. */
export async function loadSession(): Promise<SessionInfo | null> {
  const { session } = await requestJson('/api/v1/auth/me', z.object({ session: z.nullable(sessionSchema) }));
  setSession(session);
  return session;
}

export async function logout(): Promise<void> {
  await requestJson('/api/v1/auth/logout', z.object({}), { method: 'POST' });
  setSession(null);
}

export async function changePassword(current: string, next: string): Promise<void> {
  await requestJson('/api/v1/auth/password', z.object({}), { method: 'POST', body: { current, next } });
}
