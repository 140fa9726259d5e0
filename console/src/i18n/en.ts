/** English messages. `MessageSchema` is derived from this file; zh-CN.ts must match it key for key. */
const en = {
  app: {
    name: 'Watchpost',
    tagline: 'Asset, exposure and vulnerability operations',
  },
  nav: {
    overview: 'Overview',
    agents: 'Agents',
    assets: 'Assets',
    scans: 'Scans',
    policies: 'Policies',
    intel: 'Intel',
    findings: 'Findings',
    coming: 'coming',
  },
  header: {
    language: 'Language',
  },
  common: {
    refresh: 'Refresh',
    retry: 'Retry',
    loading: 'Loading…',
    never: 'never',
    yes: 'yes',
    no: 'no',
  },
  status: {
    title: 'Hub status',
    hub: 'Hub',
    state: 'State',
    ok: 'Operational',
    degraded: 'Answering, status “{status}”',
    checkedAt: 'Checked at',
    latency: 'Response time',
    latencyMs: '{ms} ms',
    downTitle: 'The hub does not answer',
    downHint: 'Check that the hub is running (./scripts/start) and reachable from this browser.',
    errorCode: 'Error code',
  },
  agents: {
    title: 'Agents',
    count: '{n} agents | {n} agent | {n} agents',
    id: 'Agent ID',
    hostname: 'Hostname',
    version: 'Version',
    state: 'State',
    online: 'online',
    offline: 'offline',
    revoked: 'revoked',
    lastSeen: 'Last seen',
    enrolledAt: 'Enrolled',
    empty: 'No agent enrolled yet. Create an enrollment token on the hub and run `watchpost-agent enroll`.',
    loadFailed: 'Could not load the agents',
  },
  token: {
    title: 'API token',
    hint: 'Paste an API token (wpa_…) created with `watchpost-hub apitoken create`. It is kept in this browser tab only.',
    placeholder: 'wpa_…',
    use: 'Use token',
    change: 'Change token',
    malformed: 'This does not look like an API token (wpa_ followed by at least 43 characters).',
    rejected: 'The hub rejected this token.',
  },
};

export type MessageSchema = typeof en;
export default en;
