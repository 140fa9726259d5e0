// Diff of a stored section against the incoming one, so a changed section costs writes in
// proportion to what changed: rows matched by key and equal are left alone, matched but different
// are updated in place, the rest are inserted or deleted. Keys may repeat (listeners have no
// natural key, so their key is their whole content): rows are then matched one to one.

export interface SectionDiff<T> {
  insert: T[];
  update: { id: string; row: T }[];
  remove: string[];
  unchanged: number;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return a === b;
}

export function sameFields<T extends object>(a: T, b: T, fields: readonly (keyof T)[]): boolean {
  return fields.every((f) => sameValue(a[f], b[f]));
}

/** A key made of every listed field: for sections whose rows have no natural identity. */
export function contentKey<T extends object>(row: T, fields: readonly (keyof T)[]): string {
  return JSON.stringify(
    fields.map((f) => {
      const v = row[f];
      return v instanceof Date ? v.toISOString() : v;
    }),
  );
}

export function diffSection<T extends object>(
  stored: readonly (T & { id: string })[],
  incoming: readonly T[],
  keyOf: (row: T) => string,
  fields: readonly (keyof T)[],
): SectionDiff<T> {
  const byKey = new Map<string, (T & { id: string })[]>();
  for (const row of stored) {
    const k = keyOf(row);
    const bucket = byKey.get(k);
    if (bucket) bucket.push(row);
    else byKey.set(k, [row]);
  }
  const diff: SectionDiff<T> = { insert: [], update: [], remove: [], unchanged: 0 };
  for (const row of incoming) {
    const match = byKey.get(keyOf(row))?.pop();
    if (!match) diff.insert.push(row);
    else if (sameFields<T>(match, row, fields)) diff.unchanged += 1;
    else diff.update.push({ id: match.id, row });
  }
  for (const bucket of byKey.values()) for (const left of bucket) diff.remove.push(left.id);
  return diff;
}
