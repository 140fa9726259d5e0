// `watchpost-hub import --tenant T --format F FILE [--zone Z] [--asset ID] [--scanner-agent ID]`:
// imports a scanner report into the tenant's ledger and findings, with a progress bar on stderr.
import { createLogger } from '../platform/log.js';
import { loadConfig } from '../config/index.js';
import { openStore } from '../db/data-source.js';
import { createAssetsModule } from '../assets/index.js';
import { createFindingsModule } from '../findings/index.js';
import { createRiskModule } from '../risk/index.js';
import { createIntelModule } from '../intel/index.js';
import { TenancyService } from '../tenancy/index.js';
import { newId } from '../platform/ids.js';
import { parse, requireString, UsageError } from '../cli/args.js';
import { emit } from '../cli/output.js';
import { runImport, type ImportProgress } from './pipeline.js';
import { IMPORT_FORMATS, type ImportFormat } from './types.js';

export const IMPORT_USAGE = `import --tenant NAME --format ${IMPORT_FORMATS.join('|')} FILE [--zone ZONE] [--asset ID] [--scanner-agent AGENT_ID]`;

function progressLine(p: ImportProgress): string {
  const width = 30;
  const filled = p.bytesTotal ? Math.round((p.bytesDone / p.bytesTotal) * width) : width;
  const mb = (n: number) => (n / 1e6).toFixed(1);
  return `${p.phase.padEnd(8)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${mb(p.bytesDone)}/${mb(p.bytesTotal)} MB, ${p.hostsDone} hosts`;
}

export async function importCommand(args: string[]): Promise<void> {
  const a = parse(args, {
    tenant: { type: 'string' },
    format: { type: 'string' },
    zone: { type: 'string' },
    asset: { type: 'string' },
    'scanner-agent': { type: 'string' },
  });
  const format = requireString(a.str('format'), '--format');
  if (!(IMPORT_FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join(', ')}`);
  const file = requireString(a.positionals[0], 'FILE');
  const config = loadConfig({ dataDir: a.str('data-dir') });
  // stdout carries the result (one JSON object with --json): only warnings are logged.
  const log = createLogger('warn');
  const ds = await openStore(config, true);
  try {
    const clock = () => new Date();
    const tenant = await new TenancyService(ds, clock).requireTenant(
      requireString(a.str('tenant'), '--tenant'),
    );
    const deps = { dataSource: ds, clock, log };
    const findings = createFindingsModule(deps).service;
    // Intel (CVSS, KEV, EPSS) from the shared store, as the server scores with it.
    const intel = createIntelModule({ ...deps, uploadMaxBytes: config.intelUploadMaxBytes }).service.reader;
    const risk = createRiskModule({ ...deps, findings, intel }).service;
    const assets = createAssetsModule(deps);
    const tty = process.stderr.isTTY;
    let last = 0;
    const counts = await runImport(
      {
        dataSource: ds,
        findings,
        risk,
        ledger: (em, ctx, host) => assets.applyDiscovery(em, ctx, host),
        clock,
        log,
      },
      {
        importId: newId(),
        tenantId: tenant.id,
        format: format as ImportFormat,
        path: file,
        zone: a.str('zone'),
        assetId: a.str('asset'),
        scannerAgentId: a.str('scanner-agent'),
      },
      (p) => {
        // Redrawn in place on a terminal; elsewhere one line per phase change at most every 2 s.
        const now = Date.now();
        if (tty) process.stderr.write(`\r${progressLine(p)}`);
        else if (now - last > 2000) process.stderr.write(`${progressLine(p)}\n`);
        last = now;
      },
    );
    if (tty) process.stderr.write('\n');
    emit(
      a.json,
      counts,
      `${counts.raw} observations on ${counts.hosts} hosts → ${counts.new} new, ${counts.updated} updated, ` +
        `${counts.merged} merged, ${counts.recurring} recurring, ${counts.unchanged} unchanged, ${counts.closed} closed ` +
        `(${counts.assetsCreated} assets created, ${counts.skippedHosts} hosts skipped)`,
    );
  } finally {
    await ds.destroy();
  }
}
