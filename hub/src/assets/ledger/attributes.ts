// Attributes people keep on an asset (owner, business system, CIA criticality, location, network
// zone, tags): validation, and the diff that becomes `attribute_changed` timeline events.
import { z } from 'zod';

const text = z.string().trim().min(1).max(200).nullable();
export const attributesPatch = z
  .object({
    owner: z.object({ person: text, team: text, contact: text }).partial().strict(),
    businessSystem: text,
    location: text,
    zone: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'zone: lower-case letters, digits, - and _'),
    cia: z
      .object({
        confidentiality: z.number().int().min(1).max(5).nullable(),
        integrity: z.number().int().min(1).max(5).nullable(),
        availability: z.number().int().min(1).max(5).nullable(),
      })
      .partial()
      .strict(),
    tags: z.array(z.string().trim().min(1).max(64)).max(32),
  })
  .partial()
  .strict();
export type AttributesPatch = z.infer<typeof attributesPatch>;

/** Column name → new value for every attribute the patch sets. */
export function patchColumns(p: AttributesPatch): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  if (p.owner?.person !== undefined) out['owner_person'] = p.owner.person;
  if (p.owner?.team !== undefined) out['owner_team'] = p.owner.team;
  if (p.owner?.contact !== undefined) out['owner_contact'] = p.owner.contact;
  if (p.businessSystem !== undefined) out['business_system'] = p.businessSystem;
  if (p.location !== undefined) out['location'] = p.location;
  if (p.zone !== undefined) out['zone'] = p.zone;
  if (p.cia?.confidentiality !== undefined) out['cia_confidentiality'] = p.cia.confidentiality;
  if (p.cia?.integrity !== undefined) out['cia_integrity'] = p.cia.integrity;
  if (p.cia?.availability !== undefined) out['cia_availability'] = p.cia.availability;
  if (p.tags !== undefined) out['tags'] = JSON.stringify([...new Set(p.tags)].sort());
  return out;
}

export const ATTRIBUTE_COLUMNS = [
  'owner_person',
  'owner_team',
  'owner_contact',
  'business_system',
  'location',
  'zone',
  'cia_confidentiality',
  'cia_integrity',
  'cia_availability',
  'tags',
] as const;

export interface AssetAttributes {
  owner: { person: string | null; team: string | null; contact: string | null };
  businessSystem: string | null;
  location: string | null;
  zone: string;
  cia: { confidentiality: number | null; integrity: number | null; availability: number | null };
  tags: string[];
  shadow: boolean;
  source: string;
}

export function attributesFromRow(r: Record<string, unknown>): AssetAttributes {
  const s = (k: string) => {
    const v = r[k];
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
  };
  const n = (k: string) => (r[k] === null || r[k] === undefined ? null : Number(r[k]));
  return {
    owner: { person: s('owner_person'), team: s('owner_team'), contact: s('owner_contact') },
    businessSystem: s('business_system'),
    location: s('location'),
    zone: s('zone') ?? 'internal',
    cia: {
      confidentiality: n('cia_confidentiality'),
      integrity: n('cia_integrity'),
      availability: n('cia_availability'),
    },
    tags: JSON.parse(s('tags') ?? '[]') as string[],
    shadow: r['agent_id'] === null && !(r['registered'] === true || r['registered'] === 1),
    source: s('source') ?? 'agent',
  };
}

/** A stored attribute value as comparable text (null/absent = empty). */
export function attributeText(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}
