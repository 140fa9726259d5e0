/**
 * The YAML editor's gutter: one entry per line of the text with its number and the validation
 * errors the hub reported on it (PolicyValidationError lines are 1-based). Errors past the last
 * line (e.g. "unexpected end") are attached to the last line so none is hidden.
 */
import type { PolicyValidationError } from '../../../../hub/src/policies/api-types';

export interface GutterLine {
  line: number;
  errors: PolicyValidationError[];
}

export function gutterLines(text: string, errors: readonly PolicyValidationError[]): GutterLine[] {
  const count = text.split('\n').length;
  const lines: GutterLine[] = Array.from({ length: count }, (_, i) => ({ line: i + 1, errors: [] }));
  for (const e of errors) {
    const index = Math.min(Math.max(1, Math.trunc(e.line) || 1), count) - 1;
    lines[index]?.errors.push(e);
  }
  return lines;
}

/** Character offset of the start of `line` (1-based) in `text`, to move the caret to an error. */
export function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset;
}
