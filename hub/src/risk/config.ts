// A tenant's SLA policy: risk bands → priority P1–P4 → remediation deadline in days, and whether
// CISA KEV's due date caps the deadline. Validated with zod; the defaults are the issue's.
import { z } from 'zod';
import type { Priority } from '../findings/index.js';

export const riskConfigSchema = z
  .object({
    /** Lowest score (inclusive) of each priority; P4 is everything below P3's bound. */
    bands: z.object({
      P1: z.number().min(0).max(100),
      P2: z.number().min(0).max(100),
      P3: z.number().min(0).max(100),
    }),
    /** Days from first seen to the remediation deadline. */
    slaDays: z.object({
      P1: z.number().int().min(1).max(3650),
      P2: z.number().int().min(1).max(3650),
      P3: z.number().int().min(1).max(3650),
      P4: z.number().int().min(1).max(3650),
    }),
    /** A KEV-listed CVE is due no later than the date CISA set. */
    kevOverride: z.boolean(),
  })
  .strict()
  .refine((c) => c.bands.P1 > c.bands.P2 && c.bands.P2 > c.bands.P3, {
    message: 'bands must decrease: P1 > P2 > P3',
    path: ['bands'],
  });
export type RiskConfig = z.output<typeof riskConfigSchema>;

export const DEFAULT_RISK_CONFIG: RiskConfig = {
  bands: { P1: 70, P2: 50, P3: 30 },
  slaDays: { P1: 7, P2: 30, P3: 90, P4: 180 },
  kevOverride: true,
};

export function priorityOf(score: number, c: RiskConfig): Priority {
  if (score >= c.bands.P1) return 'P1';
  if (score >= c.bands.P2) return 'P2';
  if (score >= c.bands.P3) return 'P3';
  return 'P4';
}

const DAY_MS = 86_400_000;

/** Deadline: first seen + the priority's days, capped by KEV's due date when the policy says so. */
export function dueDateOf(
  priority: Priority,
  firstSeenAt: Date,
  kevDueDate: string | null,
  c: RiskConfig,
): { dueAt: Date; kevCapped: boolean } {
  const sla = new Date(firstSeenAt.getTime() + c.slaDays[priority] * DAY_MS);
  const kev = kevDueDate && c.kevOverride ? new Date(`${kevDueDate}T23:59:59.999Z`) : null;
  if (kev && !Number.isNaN(kev.getTime()) && kev.getTime() < sla.getTime())
    return { dueAt: kev, kevCapped: true };
  return { dueAt: sla, kevCapped: false };
}
