// `watchpost-hub intel import PATH… [--format F] [--json]` and `intel status`. The CLI is the
// platform operator's tool, so it may import (no API token involved).
import { basename } from 'node:path';
import { loadConfig } from '../config/index.js';
import { openStore } from '../db/data-source.js';
import { createLogger } from '../platform/log.js';
import { parse, UsageError } from '../cli/args.js';
import { emit, table } from '../cli/output.js';
import { progressPrinter } from './progress.js';
import { IntelService } from './service.js';
import { attachEarlyWarning } from './warnings/index.js';
import { FEED_FORMATS, type FeedFormat, type IntelImport } from './store-api.js';

const USAGE = `usage: intel import PATH... [--format ${FEED_FORMATS.join('|')}] | intel status`;

function formatFlag(v: string | undefined): FeedFormat | undefined {
  if (v === undefined) return undefined;
  if (!(FEED_FORMATS as readonly string[]).includes(v))
    throw new UsageError(`--format must be one of ${FEED_FORMATS.join(', ')}`);
  return v as FeedFormat;
}

export async function intelCommand(args: string[]): Promise<void> {
  const a = parse(args, { format: { type: 'string' } });
  const [sub, ...paths] = a.positionals;
  if (sub !== 'import' && sub !== 'status') throw new UsageError(USAGE);
  if (sub === 'import' && paths.length === 0) throw new UsageError(USAGE);
  const format = formatFlag(a.str('format'));
  const config = loadConfig({ dataDir: a.str('data-dir') });
  const ds = await openStore(config, true);
  try {
    const clock = () => new Date();
    const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
    const service = new IntelService({
      dataSource: ds,
      clock,
      log,
      uploadMaxBytes: config.intelUploadMaxBytes,
    });
    if (sub === 'status') {
      const sources = await service.status();
      emit(
        a.json,
        { sources },
        table(sources as unknown as Record<string, unknown>[], [
          'source',
          'records',
          'newestModified',
          'newestPublished',
        ]),
      );
      return;
    }
    // Early warning: the records each import changes are matched against every stored inventory
    // (no rescan); stop() waits for those runs, so the findings exist when the command exits.
    const warnings = attachEarlyWarning({ dataSource: ds, clock, log, intel: service });
    const results: IntelImport[] = [];
    try {
      await importAll(service, paths, format, a.json, results);
    } finally {
      await warnings.stop();
    }
    if (a.json) emit(true, { imports: results }, '');
    if (results.some((r) => r.state === 'failed')) process.exitCode = 1;
  } finally {
    await ds.destroy();
  }
}

async function importAll(
  service: IntelService,
  paths: string[],
  format: FeedFormat | undefined,
  json: boolean,
  results: IntelImport[],
): Promise<void> {
  for (const path of paths) {
    const bar = progressPrinter(basename(path), process.stderr);
    const imp = await service.importFile(path, {
      format,
      requestedBy: 'cli',
      onProgress: (p) => bar.update(p),
    });
    bar.done();
    results.push(imp);
    if (!json) {
      const c = imp.counts;
      const err = imp.error ? ` — ${imp.error.code}: ${imp.error.message}` : '';
      process.stdout.write(
        `${path}: ${imp.state} (${imp.format ?? '?'}) new ${c.new}, updated ${c.updated}, unchanged ${c.unchanged}, failed ${c.failed}${err}\n`,
      );
    }
  }
}
