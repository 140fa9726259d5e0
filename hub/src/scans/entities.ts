import { EntitySchema } from 'typeorm';
import { bigintAsString } from '../db/portable.js';

/** A scan definition: what to scan, how, when. Runs are its per-agent tasks (scan_runs). */
export interface ScanRow {
  id: string;
  tenantId: string;
  agentIds: string; // JSON string[]
  targets: string; // JSON string[]
  profile: string;
  options: string; // JSON ScanOptions
  schedule: string | null; // 5-field cron
  window: string | null; // JSON ScanWindow
  /** A run is due (created, or the cron fired) and starts as soon as the window is open. */
  pendingRun: boolean;
  lastFiredMinute: string | null; // the cron minute that last fired, so it fires once
  runCount: number;
  cancelledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One agent's part of one run of a scan: the scan task sent to it. */
export interface ScanRunRow {
  id: string;
  tenantId: string;
  scanId: string;
  runNo: number;
  agentId: string;
  taskId: string;
  cancelTaskId: string | null;
  windowEndAt: Date | null;
  createdAt: Date;
}

/** One host as one scan task saw it: the raw material the asset ledger correlates later. */
export interface DiscoveryObservationRow {
  id: string;
  tenantId: string;
  scanId: string;
  taskId: string;
  agentId: string;
  observedAt: Date;
  status: string;
  primaryIp: string | null;
  ips: string; // JSON string[]
  macs: string; // JSON {addr, vendor}[]
  hostnames: string; // JSON string[]
  osName: string | null;
  osAccuracy: number | null;
  ports: string; // JSON DiscoveredPort[] (with cpes and scripts)
  openPorts: number;
  weakCredentials: number;
  rawBytes: string;
  receivedAt: Date;
}

export const ScanEntity = new EntitySchema<ScanRow>({
  name: 'Scan',
  tableName: 'scans',
  columns: {
    id: { type: 'varchar', primary: true },
    tenantId: { type: 'varchar', name: 'tenant_id' },
    agentIds: { type: 'text', name: 'agent_ids' },
    targets: { type: 'text' },
    profile: { type: 'varchar' },
    options: { type: 'text' },
    schedule: { type: 'varchar', nullable: true },
    window: { type: 'text', nullable: true },
    pendingRun: { type: 'boolean', name: 'pending_run' },
    lastFiredMinute: { type: 'varchar', name: 'last_fired_minute', nullable: true },
    runCount: { type: 'integer', name: 'run_count' },
    cancelledAt: { type: Date, name: 'cancelled_at', nullable: true },
    createdAt: { type: Date, name: 'created_at' },
    updatedAt: { type: Date, name: 'updated_at' },
  },
});

export const ScanRunEntity = new EntitySchema<ScanRunRow>({
  name: 'ScanRun',
  tableName: 'scan_runs',
  columns: {
    id: { type: 'varchar', primary: true },
    tenantId: { type: 'varchar', name: 'tenant_id' },
    scanId: { type: 'varchar', name: 'scan_id' },
    runNo: { type: 'integer', name: 'run_no' },
    agentId: { type: 'varchar', name: 'agent_id' },
    taskId: { type: 'varchar', name: 'task_id' },
    cancelTaskId: { type: 'varchar', name: 'cancel_task_id', nullable: true },
    windowEndAt: { type: Date, name: 'window_end_at', nullable: true },
    createdAt: { type: Date, name: 'created_at' },
  },
});

export const DiscoveryObservationEntity = new EntitySchema<DiscoveryObservationRow>({
  name: 'DiscoveryObservation',
  tableName: 'discovery_observations',
  columns: {
    id: { type: 'varchar', primary: true },
    tenantId: { type: 'varchar', name: 'tenant_id' },
    scanId: { type: 'varchar', name: 'scan_id' },
    taskId: { type: 'varchar', name: 'task_id' },
    agentId: { type: 'varchar', name: 'agent_id' },
    observedAt: { type: Date, name: 'observed_at' },
    status: { type: 'varchar' },
    primaryIp: { type: 'varchar', name: 'primary_ip', nullable: true },
    ips: { type: 'text' },
    macs: { type: 'text' },
    hostnames: { type: 'text' },
    osName: { type: 'varchar', name: 'os_name', nullable: true },
    osAccuracy: { type: 'integer', name: 'os_accuracy', nullable: true },
    ports: { type: 'text' },
    openPorts: { type: 'integer', name: 'open_ports' },
    weakCredentials: { type: 'integer', name: 'weak_credentials' },
    rawBytes: { type: 'bigint', name: 'raw_bytes', transformer: bigintAsString },
    receivedAt: { type: Date, name: 'received_at' },
  },
});

export const scansEntities = [ScanEntity, ScanRunEntity, DiscoveryObservationEntity];
