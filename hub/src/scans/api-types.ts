// The REST shape of a scan (GET /scans, GET /scans/:id and the `scan` server-sent event): types
// only, imported by view.ts and, type-only, by the console — so the two cannot drift apart.

export type ScanStateName = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'partial';

export interface ScanOptionsView {
  ports: string;
  topPorts: number;
  maxRate: number;
  timeoutS: number;
  credentialChecks: boolean;
}

export interface ScanHostSummary {
  primaryIp: string | null;
  ips: string[];
  macs: { addr: string; vendor: string }[];
  hostnames: string[];
  status: string;
  os: { name: string; accuracy: number } | null;
  openPorts: { port: number; protocol: string; service: string; product: string; version: string }[];
  weakCredentials: number;
  agentId: string;
  observedAt: string;
}

export interface ScanView {
  id: string;
  state: ScanStateName;
  cancelRequested: boolean;
  agentIds: string[];
  targets: string[];
  profile: string;
  options: ScanOptionsView;
  schedule: string | null;
  window: { start: string; end: string; timezone: string } | null;
  runCount: number;
  pendingRun: boolean;
  progress: {
    percent: number;
    /** The latest of the running tasks' ETAs (ISO); null when none is known. */
    etaAt: string | null;
    tasks: {
      agentId: string;
      taskId: string;
      state: string;
      percent: number;
      message: string;
      etaAt: string | null;
      errorCode: string | null;
      cancelTaskId: string | null;
    }[];
  };
  counts: {
    hostsUp: number;
    hostsDown: number;
    openPorts: number;
    weakCredentials: number;
    hostsSeen: number;
  };
  hosts?: ScanHostSummary[];
  createdAt: string;
  updatedAt: string;
}
