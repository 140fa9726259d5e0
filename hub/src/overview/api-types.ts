// GET /api/v1/overview: the dashboard's numbers, defined once here and imported by the console.
// Every figure carries `link`, the console route (with its filter query) that lists what it counts.

export interface Linked<T> {
  value: T;
  /** Console route with query string, e.g. `/findings?status=open&priority=P1`. */
  link: string;
}

export interface OverviewBucket {
  key: string;
  count: number;
  link: string;
}

export interface OverviewDriftItem {
  id: string;
  assetId: string;
  kind: string;
  status: string;
  createdAt: string;
  link: string;
}

export interface OverviewWarningItem {
  id: string;
  cve: string | null;
  vulnId: string;
  assetId: string;
  component: string;
  createdAt: string;
  link: string;
}

export interface Overview {
  generatedAt: string;
  assets: {
    total: Linked<number>;
    withAgent: Linked<number>;
    withoutAgent: Linked<number>;
    shadow: Linked<number>;
  };
  /** Open ports per network zone (internet-facing and dmz first). */
  exposure: { zone: string; assets: number; openPorts: number; link: string }[];
  findings: {
    open: Linked<number>;
    /** P1..P4, then `unscored` for findings the risk model has not scored yet. */
    byPriority: OverviewBucket[];
    byType: OverviewBucket[];
  };
  /** Checks passed / (passed + failed) over each asset's latest run of each policy; null: no runs. */
  baseline: { percent: number | null; passed: number; failed: number; assets: number; link: string };
  agents: { online: Linked<number>; offline: Linked<number>; revoked: Linked<number> };
  drift: { open: Linked<number>; last7d: number; recent: OverviewDriftItem[] };
  warnings: { last30d: Linked<number>; recent: OverviewWarningItem[] };
}
