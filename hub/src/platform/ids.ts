import { randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Guards lookups by id: PostgreSQL rejects malformed uuid text inside a query. */
export const isUuid = (s: string): boolean => UUID_RE.test(s);
