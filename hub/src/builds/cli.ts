// `watchpost-hub agent-build add FILE --version V [--platform linux-x64|deb-amd64]` and
// `agent-build list`: builds are platform-level, so no --tenant.
import { loadConfig } from '../config/index.js';
import { openStore } from '../db/data-source.js';
import { parse, requireString, UsageError } from '../cli/args.js';
import { emit, table } from '../cli/output.js';
import { loadOrCreateHubKey, TenancyService } from '../tenancy/index.js';
import { BuildsService, parsePlatform } from './service.js';

export async function agentBuildCommand(args: string[]): Promise<void> {
  const a = parse(args, { version: { type: 'string' }, platform: { type: 'string' } });
  const [sub, file] = a.positionals;
  const config = loadConfig({ dataDir: a.str('data-dir') });
  const ds = await openStore(config, true);
  try {
    const clock = () => new Date();
    const identity = await loadOrCreateHubKey(new TenancyService(ds, clock).repo, clock());
    const builds = new BuildsService(ds, config.dataDir, identity, clock);
    if (sub === 'add') {
      const platform = parsePlatform(
        a.str('platform') ?? (requireString(file, 'FILE').endsWith('.deb') ? 'deb-amd64' : 'linux-x64'),
      );
      const b = await builds.add(
        requireString(file, 'FILE'),
        requireString(a.str('version'), '--version'),
        platform,
      );
      emit(
        a.json,
        b,
        `agent build ${b.version}/${b.platform} added: ${b.sizeBytes} bytes, sha256 ${b.sha256}`,
      );
    } else if (sub === 'list') {
      const items = await builds.list();
      emit(
        a.json,
        { items },
        table(items as unknown as Record<string, unknown>[], [
          'version',
          'platform',
          'sizeBytes',
          'sha256',
          'createdAt',
        ]),
      );
    } else
      throw new UsageError(
        'usage: agent-build add FILE --version V [--platform linux-x64|deb-amd64] | agent-build list',
      );
  } finally {
    await ds.destroy();
  }
}
