// GET /install.sh: the POSIX installer, templated with the hub's own URL (as the client reached
// it), its WebSocket endpoint, the newest build version and the hub public key (PEM) it checks
// the download's signature against.
import { existsSync, readFileSync } from 'node:fs';
import { publicKeyFromRaw } from '@watchpost/proto';
import { AGENT_UNIT, DEFAULT_AGENT_CONFIG } from './unit.js';

// The template is a plain sh file (so it can be read and shellchecked as one); tsc does not copy
// it to dist/, so the built hub reads it from src/.
const TEMPLATE_URL = [
  new URL('./install.sh.tpl', import.meta.url),
  new URL('../../src/builds/install.sh.tpl', import.meta.url),
].find((u) => existsSync(u));
if (!TEMPLATE_URL) throw new Error('install.sh.tpl not found beside the builds module');
const TEMPLATE = readFileSync(TEMPLATE_URL, 'utf8');

/** Values spliced into single-quoted sh strings must not carry a quote. */
function shSafe(v: string): string {
  if (/['\\\n]/.test(v)) throw new Error(`unsafe value for install.sh: ${JSON.stringify(v)}`);
  return v;
}

export function renderInstallScript(o: {
  hubUrl: string;
  version: string;
  hubPublicKeyRaw: Uint8Array;
}): string {
  const pem = publicKeyFromRaw(o.hubPublicKeyRaw).export({ format: 'pem', type: 'spki' }).toString().trim();
  const ws = `${o.hubUrl.replace(/^http/, 'ws')}/agent/v1`;
  return TEMPLATE.replaceAll('@@HUB@@', shSafe(o.hubUrl))
    .replaceAll('@@WS_HUB@@', shSafe(ws))
    .replaceAll('@@VERSION@@', shSafe(o.version))
    .replace('@@HUB_KEY_PEM@@', pem)
    .replace('@@UNIT@@', AGENT_UNIT)
    .replace('@@CONFIG@@', DEFAULT_AGENT_CONFIG);
}

/** The one-liner `token create` prints. */
export function installCommand(hubUrl: string, token: string): string {
  return `curl -fsSL ${hubUrl}/install.sh | sudo sh -s -- --token ${token}`;
}
