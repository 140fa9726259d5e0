// Builds the signed Task the hub sends: encoded watchpost.v1.Task, Ed25519 over
// ("watchpost-task-v1\0" || task) with the hub key (PROTOCOL.md "Tasks and policies").
import type { KeyObject } from 'node:crypto';
import { SignPurpose, signPayload, toLong, watchpost } from '@watchpost/proto';

export interface TaskToSign {
  taskId: string;
  agentId: string;
  hubSeq: bigint;
  issuedAt: Date;
  expiresAt: Date;
  kind: string;
  params: Record<string, unknown>;
}

export function encodeTask(t: TaskToSign): Uint8Array {
  const body: watchpost.v1.ITask = {
    taskId: t.taskId,
    agentId: t.agentId,
    hubSeq: toLong(t.hubSeq),
    issuedAtMs: toLong(t.issuedAt.getTime(), false),
    expiresAtMs: toLong(t.expiresAt.getTime(), false),
  };
  if (t.kind === 'collect_inventory') body.collectInventory = { full: t.params['full'] === true };
  else if (t.kind === 'pipeline_probe') {
    body.pipelineProbe = {
      count: Number(t.params['count']),
      payloadBytes: Number(t.params['payloadBytes'] ?? 0),
    };
  } else if (t.kind === 'scan') body.scan = scanParams(t.params);
  else if (t.kind === 'cancel') body.cancel = { taskId: String(t.params['taskId']) };
  else if (t.kind === 'baseline_evaluate') {
    // Stored by the baselines domain (POST /baselines/evaluate), already validated there.
    body.baselineEvaluate = {
      policyIds: ((t.params['policyIds'] as unknown[] | undefined) ?? []).map(String),
      snapshot: t.params['snapshot'] === true,
    };
  } else if (t.kind === 'upgrade') {
    // Stored by the builds domain (hub/src/builds): hex sha256, base64 signature.
    body.upgrade = {
      version: String(t.params['version']),
      path: String(t.params['path']),
      sha256: Buffer.from(String(t.params['sha256']), 'hex'),
      buildSignature: Buffer.from(String(t.params['signature']), 'base64'),
      sizeBytes: toLong(Number(t.params['sizeBytes']), true),
      confirmTimeoutS: Number(t.params['confirmTimeoutS'] ?? 0),
    };
  } else throw new Error(`unknown task kind ${t.kind}`);
  return watchpost.v1.Task.encode(body).finish();
}

const PROFILES: Record<string, watchpost.v1.ScanProfile> = {
  discovery: watchpost.v1.ScanProfile.SCAN_PROFILE_DISCOVERY,
  'top-ports': watchpost.v1.ScanProfile.SCAN_PROFILE_TOP_PORTS,
  full: watchpost.v1.ScanProfile.SCAN_PROFILE_FULL,
  service: watchpost.v1.ScanProfile.SCAN_PROFILE_SERVICE,
};

/** Stored scan params (already validated by the scans domain) → ScanTask. */
function scanParams(p: Record<string, unknown>): watchpost.v1.IScanTask {
  const profile = PROFILES[String(p['profile'])];
  if (profile === undefined) throw new Error(`unknown scan profile ${String(p['profile'])}`);
  const num = (k: string) => Number(p[k] ?? 0);
  return {
    scanId: String(p['scanId']),
    targets: (p['targets'] as unknown[]).map(String),
    profile,
    ports: typeof p['ports'] === 'string' ? p['ports'] : '',
    maxRate: num('maxRate'),
    timeoutS: num('timeoutS'),
    credentialChecks: p['credentialChecks'] === true,
    windowEndMs: toLong(num('windowEndMs'), false),
    topPorts: num('topPorts'),
  };
}

export function signTask(hubKey: KeyObject, t: TaskToSign): watchpost.v1.ISignedTask {
  const task = encodeTask(t);
  return { task, signature: signPayload(hubKey, SignPurpose.TASK, task) };
}
