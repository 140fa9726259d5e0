// Agent builds: stored under DATA_DIR/agent-builds/<version>/<platform>, signed with the hub
// key; upgrade orchestration turns a version into signed AgentUpgrade tasks for chosen agents.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { SignPurpose, signPayload } from '@watchpost/proto';
import type { AgentsRepository } from '../agents/index.js';
import { hubError } from '../platform/errors.js';
import type { TasksService } from '../tasks/index.js';
import type { HubIdentity } from '../tenancy/index.js';
import { BUILD_PLATFORMS, type AgentBuildRow, type BuildPlatform } from './entities.js';
import { BuildsRepository } from './repository.js';

export const VERSION_RE = /^[0-9][0-9A-Za-z.+~-]{0,63}$/;

export interface BuildView {
  version: string;
  platform: BuildPlatform;
  sha256: string;
  signature: string;
  sizeBytes: number;
  createdAt: string;
}

export const buildView = (b: AgentBuildRow): BuildView => ({
  version: b.version,
  platform: b.platform,
  sha256: b.sha256,
  signature: b.signature,
  sizeBytes: b.sizeBytes,
  createdAt: b.createdAt.toISOString(),
});

export function parsePlatform(p: string): BuildPlatform {
  if (!(BUILD_PLATFORMS as readonly string[]).includes(p))
    throw hubError('VALIDATION_FAILED', `platform must be one of ${BUILD_PLATFORMS.join(', ')}`);
  return p as BuildPlatform;
}

export const upgradeSchema = z
  .object({
    version: z.string().regex(VERSION_RE),
    agentIds: z.array(z.string().min(1).max(64)).min(1).max(10_000).optional(),
    all: z.literal(true).optional(),
    confirmTimeoutS: z.number().int().min(10).max(3600).default(120),
  })
  .strict()
  .refine((b) => (b.agentIds === undefined) !== (b.all === undefined), {
    message: 'give exactly one of agentIds or all',
  });

export class BuildsService {
  readonly repo: BuildsRepository;

  constructor(
    ds: DataSource,
    private readonly dataDir: string,
    private readonly identity: HubIdentity,
    private readonly clock: () => Date,
  ) {
    this.repo = new BuildsRepository(ds);
  }

  /** Copies `file` into the data dir, hashes and signs it, records it. */
  async add(file: string, version: string, platform: BuildPlatform): Promise<BuildView> {
    if (!VERSION_RE.test(version))
      throw hubError('VALIDATION_FAILED', `bad version ${JSON.stringify(version)}`);
    const rel = join('agent-builds', version, platform);
    const dest = join(this.dataDir, rel);
    mkdirSync(join(this.dataDir, 'agent-builds', version), { recursive: true });
    const tmp = `${dest}.${process.pid}.tmp`;
    copyFileSync(file, tmp);
    const bytes = readFileSync(tmp);
    const sha = createHash('sha256').update(bytes).digest();
    const signature = signPayload(
      this.identity.privateKey,
      SignPurpose.BUILD,
      sha,
      Buffer.from(version, 'utf8'),
    );
    renameSync(tmp, dest);
    const row: AgentBuildRow = {
      version,
      platform,
      sha256: sha.toString('hex'),
      signature: signature.toString('base64'),
      sizeBytes: statSync(dest).size,
      file: rel,
      createdAt: this.clock(),
    };
    await this.repo.upsert(row);
    return buildView(row);
  }

  async get(version: string, platform: BuildPlatform): Promise<AgentBuildRow & { path: string }> {
    const b = await this.repo.find(version, platform);
    if (!b) throw hubError('NOT_FOUND', `no agent build ${version}/${platform}`);
    return { ...b, path: join(this.dataDir, b.file) };
  }

  async list(): Promise<BuildView[]> {
    return (await this.repo.list()).map(buildView);
  }

  async latestVersion(): Promise<string | null> {
    return (await this.repo.latest('linux-x64'))?.version ?? null;
  }

  /** Version → count and agent ids, for one tenant (revoked agents left out). */
  async versions(agents: AgentsRepository, tenantId: string) {
    const byVersion = new Map<string, string[]>();
    for (const a of await agents.list(tenantId)) {
      if (a.revokedAt !== null) continue;
      byVersion.set(a.version, [...(byVersion.get(a.version) ?? []), a.id]);
    }
    return [...byVersion].map(([version, ids]) => ({ version, count: ids.length, agents: ids }));
  }

  /** Queues one AgentUpgrade task per chosen agent; all or nothing. */
  async upgrade(
    ds: DataSource,
    tasks: TasksService,
    agents: AgentsRepository,
    tenantId: string,
    body: unknown,
  ): Promise<{ version: string; tasks: { agentId: string; taskId: string }[] }> {
    const parsed = upgradeSchema.safeParse(body);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw hubError('VALIDATION_FAILED', `${i?.path.join('.') || 'body'}: ${i?.message ?? 'invalid'}`);
    }
    const { version, confirmTimeoutS } = parsed.data;
    const build = await this.get(version, 'linux-x64');
    const ids =
      parsed.data.agentIds ??
      (await agents.list(tenantId)).filter((a) => a.revokedAt === null).map((a) => a.id);
    const params = {
      version,
      path: `/agent/builds/${version}/linux-x64`,
      sha256: build.sha256,
      signature: build.signature,
      sizeBytes: build.sizeBytes,
      confirmTimeoutS,
    };
    const created = await ds.transaction(async (em) => {
      const out: { agentId: string; taskId: string }[] = [];
      for (const agentId of ids) {
        const row = await tasks.enqueue(em, tenantId, agentId, 'upgrade', params);
        out.push({ agentId, taskId: row.id });
      }
      return out;
    });
    for (const t of created) tasks.deliver(tenantId, t.agentId);
    return { version, tasks: created };
  }
}
