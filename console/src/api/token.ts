/**
 * The API token the user pastes, kept for this browser tab only (sessionStorage).
 * A real login replaces this with issue #6.
 */
import { readonly, ref } from 'vue';

const storageKey = 'watchpost.apiToken';
const current = ref<string | null>(sessionStorage.getItem(storageKey));

export const apiToken = readonly(current);

export function setApiToken(token: string): void {
  const trimmed = token.trim();
  sessionStorage.setItem(storageKey, trimmed);
  current.value = trimmed;
}

export function clearApiToken(): void {
  sessionStorage.removeItem(storageKey);
  current.value = null;
}

/** API tokens are `wpa_` followed by ≥ 32 random bytes in base64url (≥ 43 characters). */
export function looksLikeApiToken(token: string): boolean {
  return /^wpa_[A-Za-z0-9_-]{43,}$/.test(token.trim());
}
