// The scan-creation body (zod). Targets, ports and cron are validated here so that nothing but
// well-formed values is ever stored, signed and handed to an agent's nmap.
import { z } from 'zod';
import { isUuid } from '../platform/ids.js';
import { HHMM_RE, isTimeZone, parseCron } from './cron.js';
import { MAX_TARGETS, parseTarget } from './targets.js';

export const SCAN_PROFILES = ['discovery', 'top-ports', 'full', 'service'] as const;
export type ScanProfileName = (typeof SCAN_PROFILES)[number];

const PORT_ITEM_RE = /^(?:[TUS]:)?(\d{1,5})(?:-(\d{1,5}))?$/;

/** nmap port list: "22,80,8000-8100", optionally with T:/U:/S: prefixes; ports 1..65535. */
export function isPortSpec(spec: string): boolean {
  if (spec === '' || spec.length > 4096) return false;
  const items = spec.split(',');
  if (items.length > 1024) return false;
  return items.every((item) => {
    const m = PORT_ITEM_RE.exec(item);
    if (!m) return false;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    return lo >= 1 && hi <= 65_535 && lo <= hi;
  });
}

const agentId = z.string().refine(isUuid, { message: 'not an agent id' });

export const createScanSchema = z
  .object({
    agentId: agentId.optional(),
    agentIds: z.array(agentId).min(1).max(100).optional(),
    targets: z
      .array(
        z.string().refine((t) => parseTarget(t) !== null, { message: 'not an address, CIDR or A-B range' }),
      )
      .min(1)
      .max(MAX_TARGETS),
    profile: z.enum(SCAN_PROFILES),
    ports: z.string().refine(isPortSpec, { message: 'not a valid nmap port list' }).optional(),
    topPorts: z.number().int().min(1).max(65_535).optional(),
    maxRate: z.number().int().min(1).max(1_000_000).optional(),
    timeoutS: z
      .number()
      .int()
      .min(1)
      .max(7 * 86400)
      .optional(),
    credentialChecks: z.boolean().default(false),
    schedule: z
      .string()
      .refine((s) => parseCron(s) !== null, { message: 'not a 5-field cron expression' })
      .optional(),
    window: z
      .object({
        start: z.string().regex(HHMM_RE, { message: 'HH:MM' }),
        end: z.string().regex(HHMM_RE, { message: 'HH:MM' }),
        // Absent: the tenant's timezone, pinned into the scan when it is created.
        timezone: z.string().max(64).refine(isTimeZone, { message: 'unknown IANA timezone' }).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((b) => (b.agentId === undefined) !== (b.agentIds === undefined), {
    message: 'give exactly one of agentId or agentIds',
    path: ['agentId'],
  });

export type CreateScanBody = z.output<typeof createScanSchema>;

/** What a scan task carries besides targets (stored as JSON on the scan, signed into ScanTask). */
export interface ScanOptions {
  ports: string;
  topPorts: number;
  maxRate: number;
  timeoutS: number;
  credentialChecks: boolean;
}
