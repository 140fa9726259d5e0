// zod at the REST edge: the first issue becomes a VALIDATION_FAILED with its path.
import type { z } from 'zod';
import { hubError } from '../platform/errors.js';

export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') || what;
  throw hubError('VALIDATION_FAILED', `${what}: ${where}: ${issue?.message ?? 'invalid'}`);
}
