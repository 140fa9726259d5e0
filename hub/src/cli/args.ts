// Argument parsing shared by the CLI commands (node:util parseArgs, strict).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { hubError } from '../platform/errors.js';

export const COMMON_OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export class UsageError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  json: boolean;
  /** A string flag's value, undefined when absent. */
  str(name: string): string | undefined;
}

export function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>): ParsedArgs {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  return {
    positionals,
    json: values['json'] === true,
    str: (name) => {
      const v = values[name];
      return typeof v === 'string' ? v : undefined;
    },
  };
}

export function requireString(v: unknown, flag: string): string {
  if (typeof v !== 'string' || v === '') throw new UsageError(`${flag} is required`);
  return v;
}

export function positiveIntFlag(v: unknown, flag: string): number | null {
  if (v === undefined) return null;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1) {
    throw hubError('VALIDATION_FAILED', `${flag} must be a positive integer`);
  }
  return n;
}
