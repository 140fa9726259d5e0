// The agent endpoint of a hub: the URL given by the operator, with /agent/v1 appended when it
// has no path.
import { agentError } from '../errors.js';

export const AGENT_WS_PATH = '/agent/v1';

export function agentEndpoint(hub: string): string {
  let url: URL;
  try {
    url = new URL(hub);
  } catch {
    throw agentError('USAGE', `--hub: not a URL: ${hub}`);
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
    throw agentError('USAGE', `--hub: expected ws:// or wss://, got ${hub}`);
  if (url.pathname === '' || url.pathname === '/') url.pathname = AGENT_WS_PATH;
  return url.toString();
}
