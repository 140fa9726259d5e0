// Checks a decoded InventoryReport before anything is stored. The gateway calls this first and
// answers a failure with Reject{code, reason} (PROTOCOL.md): a bad report must be refused
// before the batch transaction, never abort it. applyInventory checks again as a guard.
import { toBigInt, type watchpost } from '@watchpost/proto';
import { INVENTORY_LIMITS } from './inventory-sections.js';

export interface InventoryRejection {
  code: 'LIMIT_EXCEEDED' | 'INVALID_MESSAGE';
  reason: string;
}

const INT32_MAX = 2 ** 31 - 1;
/** ECMAScript's Date range: anything outside cannot be stored as an instant. */
const MAX_EPOCH_MS = 8_640_000_000_000_000n;

type Report = watchpost.v1.IInventoryReport;

function listTooLong(report: Report): InventoryRejection | null {
  const lists: [string, readonly unknown[] | null | undefined, number][] = [
    ['packages', report.packages, INVENTORY_LIMITS.packages],
    ['processes', report.processes, INVENTORY_LIMITS.processes],
    ['interfaces', report.interfaces, INVENTORY_LIMITS.otherList],
    ['services', report.services, INVENTORY_LIMITS.otherList],
    ['accounts', report.accounts, INVENTORY_LIMITS.otherList],
    ['groups', report.groups, INVENTORY_LIMITS.otherList],
    ['listeners', report.listeners, INVENTORY_LIMITS.otherList],
  ];
  for (const [name, list, max] of lists) {
    if ((list?.length ?? 0) > max) {
      return { code: 'LIMIT_EXCEEDED', reason: `${name}: ${list?.length} entries, at most ${max}` };
    }
  }
  for (const g of report.groups ?? []) {
    if ((g.members?.length ?? 0) > INVENTORY_LIMITS.otherList) {
      return { code: 'LIMIT_EXCEEDED', reason: `group ${g.name ?? ''}: too many members` };
    }
  }
  for (const i of report.interfaces ?? []) {
    if ((i.ipv4?.length ?? 0) + (i.ipv6?.length ?? 0) > INVENTORY_LIMITS.otherList) {
      return { code: 'LIMIT_EXCEEDED', reason: `interface ${i.name ?? ''}: too many addresses` };
    }
  }
  const names = (report.sections?.length ?? 0) + (report.unchangedSections?.length ?? 0);
  if (
    names > INVENTORY_LIMITS.sectionNames ||
    Object.keys(report.digests ?? {}).length > INVENTORY_LIMITS.sectionNames
  ) {
    return { code: 'LIMIT_EXCEEDED', reason: 'too many section names or digests' };
  }
  return null;
}

const invalid = (reason: string): InventoryRejection => ({ code: 'INVALID_MESSAGE', reason });

function epochOutOfRange(v: Parameters<typeof toBigInt>[0]): boolean {
  const b = toBigInt(v);
  return b > MAX_EPOCH_MS || b < -MAX_EPOCH_MS;
}

function badValues(report: Report): InventoryRejection | null {
  const collected = toBigInt(report.collectedAtMs);
  if (collected <= 0n || collected > MAX_EPOCH_MS) return invalid('collected_at_ms missing or out of range');
  const sections = report.sections ?? [];
  const unchanged = new Set(report.unchangedSections ?? []);
  const both = sections.find((s) => unchanged.has(s));
  if (both !== undefined) return invalid(`section ${both} is both sent and unchanged`);
  for (const [name, digest] of Object.entries(report.digests ?? {})) {
    if (name.length > INVENTORY_LIMITS.digestChars || digest.length > INVENTORY_LIMITS.digestChars) {
      return invalid('section name or digest too long');
    }
  }
  const h = report.host;
  if (
    h &&
    ((h.cpuCores ?? 0) > INT32_MAX ||
      epochOutOfRange(h.bootTimeMs) ||
      toBigInt(h.memoryBytes) > BigInt(Number.MAX_SAFE_INTEGER))
  ) {
    return invalid('host: cpu_cores, memory_bytes or boot_time_ms out of range');
  }
  for (const i of report.interfaces ?? []) {
    if ((i.mtu ?? 0) > INT32_MAX) return invalid(`interface ${i.name ?? ''}: mtu out of range`);
  }
  for (const l of report.listeners ?? []) {
    if ((l.port ?? 0) > 65_535) return invalid(`listener port ${l.port} out of range`);
    if (![0, 4, 6].includes(l.family ?? 0)) return invalid(`listener family ${l.family} is not 4 or 6`);
    if ((l.pid ?? 0) > INT32_MAX) return invalid(`listener pid ${l.pid} out of range`);
  }
  for (const a of report.accounts ?? []) {
    if (epochOutOfRange(a.passwordChangedAtMs))
      return invalid(`account ${a.name ?? ''}: password_changed_at_ms out of range`);
    if (!a.name) return invalid('account without a name');
  }
  for (const p of report.processes ?? []) {
    if (epochOutOfRange(p.startedAtMs)) return invalid(`process ${p.pid ?? 0}: started_at_ms out of range`);
  }
  if ((report.packages ?? []).some((p) => !p.name)) return invalid('package without a name');
  if ((report.interfaces ?? []).some((i) => !i.name)) return invalid('interface without a name');
  if ((report.groups ?? []).some((g) => !g.name)) return invalid('group without a name');
  if ((report.services ?? []).some((s) => !s.name)) return invalid('service without a name');
  return null;
}

/** null when the report may be stored; otherwise the Reject code and reason for the agent. */
export function checkInventoryReport(report: Report): InventoryRejection | null {
  return listTooLong(report) ?? badValues(report);
}
