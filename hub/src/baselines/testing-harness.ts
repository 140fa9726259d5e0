// Test helper (not imported by production code): a hub process with two tenants, one agent of
// `acme` connected at protocol level with an asset (its inventory), and builders for the
// BaselineReports / DriftReports that agent sends through the real gateway.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { toLong, watchpost } from '@watchpost/proto';
import { inventoryReport, sampleParts } from '../assets/testing-reports.js';
import {
  enrollAgent,
  startHub,
  tempPgDatabase,
  testDatabaseUrl,
  TestAgentClient,
  type EnrolledTestAgent,
  type RunningHubProcess,
  type TempDatabase,
} from '../testing/index.js';

export type Json = Record<string, unknown>;
const { CheckStatus, ChangeType, DriftSource } = watchpost.v1;

export function backends(suite: string): { name: string; pg: boolean }[] {
  const out = [{ name: 'sqlite', pg: false }];
  if (testDatabaseUrl()) out.push({ name: 'postgres', pg: true });
  else console.log(`# postgres ${suite} suite skipped: WATCHPOST_TEST_DATABASE_URL is not set`);
  return out;
}

export interface Harness {
  hub: RunningHubProcess;
  agent: EnrolledTestAgent;
  client: TestAgentClient;
  assetId: string;
  tokenAcme: string;
  tokenOther: string;
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Json }>;
  /** Sends one sequenced message and waits for its ack. */
  send(body: Omit<watchpost.v1.AgentEnvelope.$Properties, 'seq'>): Promise<number>;
  /** Sends one message expected to be rejected; resolves with the Reject code. */
  sendRejected(body: Omit<watchpost.v1.AgentEnvelope.$Properties, 'seq'>): Promise<string>;
  stop(): Promise<void>;
}

export async function startHarness(pgBackend: boolean): Promise<Harness> {
  const db: TempDatabase | undefined = pgBackend ? await tempPgDatabase() : undefined;
  const hub = await startHub(db ? { databaseUrl: db.url } : {});
  await hub.cli(['tenant', 'create', 'acme']);
  await hub.cli(['tenant', 'create', 'other']);
  const enrollToken = String((await hub.cli(['token', 'create', '--tenant', 'acme']))['token']);
  const tokenAcme = String((await hub.cli(['apitoken', 'create', '--tenant', 'acme']))['token']);
  const tokenOther = String((await hub.cli(['apitoken', 'create', '--tenant', 'other']))['token']);
  const agent = await enrollAgent(hub.wsUrl, enrollToken);
  const client = await TestAgentClient.connect(hub.wsUrl);
  await client.session(agent.key, agent.agentId);
  let seq = 0;
  const api: Harness['api'] = async (method, path, body, token = tokenAcme) => {
    const res = await fetch(hub.url + '/api/v1' + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: JSON.parse(await res.text()) as Json };
  };
  const send: Harness['send'] = async (body) => {
    seq += 1;
    client.sendSeq(seq, body);
    await client.ackFor(seq);
    return seq;
  };
  await send({ inventory: inventoryReport(sampleParts(), ['host', 'interfaces']) });
  const assetId = String((await api('GET', `/agents/${agent.agentId}`)).body['assetId']);
  assert.match(assetId, /^[0-9a-f-]{36}$/, 'the inventory gave the agent an asset');
  return {
    hub,
    agent,
    client,
    assetId,
    tokenAcme,
    tokenOther,
    api,
    send,
    async sendRejected(body) {
      seq += 1;
      const mine = seq;
      client.sendSeq(mine, body);
      const r = await client.next((m) => m.body === 'reject' && m.reject?.seq?.toString() === String(mine));
      await client.ackFor(mine);
      return String(r.reject?.code);
    },
    async stop() {
      client.close();
      const code = await hub.kill('SIGTERM');
      assert.equal(code, 0, 'hub exits 0 on SIGTERM');
      await db?.drop();
    },
  };
}

// --- BaselineReports ---------------------------------------------------------------------------

export type Outcome = 'pass' | 'fail' | 'na' | 'error';
const STATUS = {
  pass: CheckStatus.CHECK_STATUS_PASS,
  fail: CheckStatus.CHECK_STATUS_FAIL,
  na: CheckStatus.CHECK_STATUS_NOT_APPLICABLE,
  error: CheckStatus.CHECK_STATUS_ERROR,
};

export function baselineReport(
  policyId: string,
  startedAt: Date,
  outcomes: Record<string, Outcome>,
  evidence: Record<string, watchpost.v1.ICheckEvidence[]> = {},
): watchpost.v1.IBaselineReport {
  const results = Object.entries(outcomes).map(([checkId, o]) => ({
    checkId,
    status: STATUS[o],
    reason: o === 'na' ? 'package not installed' : o === 'error' ? 'permission denied' : '',
    evidence: evidence[checkId] ?? [],
    durationMs: 3,
  }));
  const count = (o: Outcome) => Object.values(outcomes).filter((x) => x === o).length;
  const decided = count('pass') + count('fail');
  return {
    runId: createHash('sha256').update(`${policyId}${startedAt.getTime()}`).digest('hex').slice(0, 32),
    policyId,
    policyVersion: 1,
    trigger: watchpost.v1.BaselineTrigger.BASELINE_TRIGGER_SCHEDULE,
    startedAtMs: toLong(startedAt.getTime(), false),
    durationMs: 40,
    results,
    passed: count('pass'),
    failed: count('fail'),
    notApplicable: count('na'),
    errors: count('error'),
    score: decided === 0 ? 0 : (count('pass') / decided) * 100,
  };
}

// --- DriftReports ------------------------------------------------------------------------------

export const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export function fileItem(path: string, content: string, mode = 0o644): watchpost.v1.IStateItem {
  const value = {
    sha256: sha(content),
    size: content.length,
    mode,
    uid: 0,
    gid: 0,
    owner: 'root',
    group: 'root',
  };
  return { kind: 'file', key: path, digest: sha(JSON.stringify(value)), valueJson: JSON.stringify(value) };
}

export function snapshot(
  id: string,
  at: Date,
  chunks: watchpost.v1.IStateItem[][],
  chunk: number,
): watchpost.v1.IDriftReport {
  return {
    snapshotId: id,
    full: true,
    chunk,
    chunkCount: chunks.length,
    takenAtMs: toLong(at.getTime(), false),
    items: chunks[chunk] ?? [],
  };
}

export function change(
  before: watchpost.v1.IStateItem | undefined,
  after: watchpost.v1.IStateItem | undefined,
  at: Date,
  diff = '',
  source = DriftSource.DRIFT_SOURCE_WATCH,
): watchpost.v1.IDriftReport {
  const any = (after ?? before) as watchpost.v1.IStateItem;
  return {
    snapshotId: `inc-${at.getTime()}`,
    full: false,
    takenAtMs: toLong(at.getTime(), false),
    changes: [
      {
        kind: any.kind ?? '',
        key: any.key ?? '',
        change: !before
          ? ChangeType.CHANGE_TYPE_ADDED
          : !after
            ? ChangeType.CHANGE_TYPE_REMOVED
            : ChangeType.CHANGE_TYPE_MODIFIED,
        ...(before ? { before } : {}),
        ...(after ? { after } : {}),
        diff,
        coalesced: 3,
        firstSeenMs: toLong(at.getTime() - 2000, false),
        lastSeenMs: toLong(at.getTime(), false),
        source,
      },
    ],
  };
}
