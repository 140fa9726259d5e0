/** The ledger's attributes as one-line texts for in-place editing, and back into PATCH bodies. */
import type { AssetAttributes, AttributesPatch } from './api';

export class AttributeInputError extends Error {
  override readonly name = 'AttributeInputError';
}

export function ciaText(a: AssetAttributes): string {
  const { confidentiality: c, integrity: i, availability: v } = a.cia;
  return c === null && i === null && v === null
    ? ''
    : [c, i, v].map((n) => (n === null ? '-' : String(n))).join('/');
}

/** "4/3/2" (or "4 3 2"; "-" for unknown, empty clears all) → the cia patch. */
export function parseCia(text: string): NonNullable<AttributesPatch['cia']> {
  if (text.trim() === '') return { confidentiality: null, integrity: null, availability: null };
  const parts = text.trim().split(/[\s/,]+/);
  if (parts.length !== 3 || !parts.every((p) => /^([1-5]|-)$/.test(p))) {
    throw new AttributeInputError('C/I/A: three values 1–5 (or -), e.g. 4/3/2');
  }
  const [c, i, v] = parts.map((p) => (p === '-' ? null : Number(p)));
  return { confidentiality: c ?? null, integrity: i ?? null, availability: v ?? null };
}

export function tagsText(a: AssetAttributes): string {
  return a.tags.join(', ');
}

export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\s]+/)
        .map((t) => t.trim())
        .filter((t) => t !== ''),
    ),
  ];
}

export function ownerText(a: AssetAttributes): string {
  return a.owner.person ?? a.owner.team ?? '';
}
