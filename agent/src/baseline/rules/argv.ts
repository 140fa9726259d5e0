// Splits a command line into argv the way the policy format promises: whitespace-separated,
// single and double quotes group, backslash escapes the next character outside single quotes.
// No shell ever runs, so shell syntax is refused rather than passed on as literal arguments.

const SHELL_SYNTAX = /[|;&<>`]|\$\(|^\s*[A-Za-z_]\w*=/;

/** undefined when the command needs a shell (pipes, redirections, substitutions, env prefixes). */
export function splitCommand(command: string): string[] | undefined {
  const argv: string[] = [];
  let current = '';
  let inArg = false;
  let quote: '"' | "'" | undefined;
  let unquoted = '';
  for (let i = 0; i < command.length; i++) {
    const ch = command[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < command.length) current += command.charAt(++i);
      else current += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inArg = true;
      unquoted += ' ';
    } else if (ch === '\\' && i + 1 < command.length) {
      current += command.charAt(++i);
      inArg = true;
    } else if (/\s/.test(ch)) {
      if (inArg) argv.push(current);
      current = '';
      inArg = false;
      unquoted += ' ';
    } else {
      current += ch;
      inArg = true;
      unquoted += ch;
    }
  }
  if (quote) return undefined;
  if (inArg) argv.push(current);
  if (SHELL_SYNTAX.test(unquoted)) return undefined;
  return argv.length > 0 ? argv : undefined;
}
