// Rollback advice (pure): the unified diff that takes the "after" text back to "before".

const HUNK_RE = /^@@ -(\d+(?:,\d+)?) \+(\d+(?:,\d+)?) @@(.*)$/;

/**
 * Swaps a unified diff's direction: the file headers change places, hunk ranges swap, `-` lines
 * become `+` and vice versa. Within each run of changed lines the removals are put first again,
 * as diff tools print them. Lines that are not part of a diff ("\ No newline…") are kept.
 */
export function reverseUnifiedDiff(diff: string): string {
  if (diff === '') return '';
  const lines = diff.split('\n');
  const out: string[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    out.push(...removed, ...added);
    removed = [];
    added = [];
  };
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as string;
    const next = lines[i + 1];
    if (line.startsWith('--- ') && next?.startsWith('+++ ')) {
      flush();
      out.push(`--- ${next.slice(4)}`, `+++ ${line.slice(4)}`);
      i += 1;
      continue;
    }
    const hunk = HUNK_RE.exec(line);
    if (hunk) {
      flush();
      out.push(`@@ -${hunk[2]} +${hunk[1]} @@${hunk[3]}`);
    } else if (line.startsWith('+')) removed.push(`-${line.slice(1)}`);
    else if (line.startsWith('-')) added.push(`+${line.slice(1)}`);
    else if (line.startsWith('\\') && (removed.length > 0 || added.length > 0)) {
      // "\ No newline at end of file" belongs to the line just before it.
      const target = added.length > 0 ? added : removed;
      target.push(line);
    } else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out.join('\n');
}
