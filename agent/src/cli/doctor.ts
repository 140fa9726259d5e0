// `doctor`: checks what this host needs for the agent to work; exit 1 when any check fails.
import type { CliArgs } from '../cli.js';
import { loadConfig } from '../config/config.js';
import { dataPaths, defaultDataDir } from '../config/dataDir.js';
import { worst } from '../doctor/checks.js';
import { runDoctor } from '../doctor/run.js';
import { printJson } from './common.js';

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

export async function doctorCommand(args: CliArgs): Promise<number> {
  const paths = dataPaths(args.dataDir ?? defaultDataDir());
  const results = await runDoctor(paths, loadConfig(paths.config));
  const overall = worst(results);
  if (args.json) printJson({ status: overall, checks: results });
  else {
    for (const r of results) {
      process.stdout.write(`${MARK[r.status]}  ${r.name.padEnd(13)} ${r.detail}\n`);
      if (r.hint && r.status !== 'ok') process.stdout.write(`      ${''.padEnd(13)} → ${r.hint}\n`);
    }
  }
  return overall === 'fail' ? 1 : 0;
}
