// Bounded inputs of the findings service and routes (zod). Producers are hub code, but they pass
// data that came from agents and scanners: every field has a limit and a clear error.
import { z } from 'zod';
import { hubError } from '../platform/errors.js';
import { isUuid } from '../platform/ids.js';
import { FINDING_STATUSES, FINDING_TYPES, PRIORITIES, SEVERITIES } from './entities.js';

const MAX_JSON_BYTES = 64 * 1024;
const boundedJson = z
  .record(z.string(), z.unknown())
  .refine((v) => Buffer.byteLength(JSON.stringify(v)) <= MAX_JSON_BYTES, { message: 'over 64 KiB as JSON' });
const uuid = z.string().refine(isUuid, { message: 'not a UUID' });
const noNul = (s: string) => !s.includes('\u0000');
const text = (max: number) => z.string().max(max).refine(noNul, { message: 'contains NUL' });

export const observationSchema = z.object({
  assetId: uuid,
  type: z.enum(FINDING_TYPES),
  component: text(512).min(1),
  ruleId: text(256).min(1),
  port: z.number().int().min(0).max(65_535).nullable().optional(),
  protocol: text(16).nullable().optional(),
  title: text(500).min(1),
  description: text(16 * 1024).default(''),
  severity: z.enum(SEVERITIES),
  cvssScore: z.number().min(0).max(10).nullable().optional(),
  riskScore: z.number().min(0).max(100).nullable().optional(),
  riskFactors: boundedJson.default({}),
  source: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9:._-]*$/, { message: 'lower-case letters, digits and : . _ -' }),
  observedAt: z.date().refine((d) => !Number.isNaN(d.getTime()), { message: 'invalid date' }),
  /** Raw producer output; any length, stored cut to 8 KiB with a marker. */
  rawExcerpt: z
    .string()
    .max(16 * 1024 * 1024)
    .nullable()
    .optional(),
  details: boundedJson.default({}),
  cve: z
    .string()
    .regex(/^CVE-\d{4}-\d{4,}$/, { message: 'not a CVE id' })
    .nullable()
    .optional(),
  confidence: z.enum(['confirmed', 'firm', 'tentative']).nullable().optional(),
  fromIntel: z.boolean().optional(),
  /** Risk priority and deadline computed by risk/ before the finding exists (new findings only). */
  priority: z.enum(PRIORITIES).nullable().optional(),
  dueAt: z.date().nullable().optional(),
});
export type Observation = z.input<typeof observationSchema>;
export type ParsedObservation = z.output<typeof observationSchema>;

export const resolveScopeSchema = z.object({
  assetId: uuid,
  type: z.enum(FINDING_TYPES),
  source: observationSchema.shape.source,
  seenIdentityKeys: z
    .array(z.string().regex(/^[0-9a-f]{64}$/, { message: 'not an identity key' }))
    .max(1_000_000),
  checkedAt: z.date().refine((d) => !Number.isNaN(d.getTime()), { message: 'invalid date' }),
});
export type ResolveScope = z.input<typeof resolveScopeSchema>;

/** `a,b` or repeated params → a list of allowed values. */
const csvOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter((s) => s !== ''))
    .pipe(z.array(z.enum(values)).max(values.length * 2));

export const findingFiltersSchema = z.object({
  type: csvOf(FINDING_TYPES).optional(),
  status: csvOf(FINDING_STATUSES).optional(),
  severity: csvOf(SEVERITIES).optional(),
  assetId: uuid.optional(),
  priority: csvOf(PRIORITIES).optional(),
  cve: z
    .string()
    .regex(/^CVE-\d{4}-\d{4,}$/i, { message: 'not a CVE id' })
    .transform((s) => s.toUpperCase())
    .optional(),
  source: observationSchema.shape.source.optional(),
  sort: z.enum(['severity', 'risk']).default('severity'),
});
export type FindingFilters = z.output<typeof findingFiltersSchema>;

export const pageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});
export type PageRequest = z.output<typeof pageSchema>;

export const findingsQuerySchema = findingFiltersSchema.extend(pageSchema.shape);

export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') || what;
  throw hubError('VALIDATION_FAILED', `${what}: ${where}: ${issue?.message ?? 'invalid'}`, {
    issues: parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}
