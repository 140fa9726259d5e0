// Agent builds: platform-level (not tenant-owned) — one executable per (version, platform),
// signed with the hub key and served to every tenant's agents and install scripts.
import { EntitySchema } from 'typeorm';

export const BUILD_PLATFORMS = ['linux-x64', 'deb-amd64'] as const;
export type BuildPlatform = (typeof BUILD_PLATFORMS)[number];

export interface AgentBuildRow {
  version: string;
  platform: BuildPlatform;
  /** hex */
  sha256: string;
  /** base64 Ed25519 over ("watchpost-build-v1\0" || sha256 || version) */
  signature: string;
  sizeBytes: number;
  /** Relative to the hub data dir. */
  file: string;
  createdAt: Date;
}

export const AgentBuildEntity = new EntitySchema<AgentBuildRow>({
  name: 'AgentBuild',
  tableName: 'agent_builds',
  columns: {
    version: { type: 'varchar', primary: true },
    platform: { type: 'varchar', primary: true },
    sha256: { type: 'varchar' },
    signature: { type: 'varchar' },
    sizeBytes: {
      type: 'bigint',
      name: 'size_bytes',
      transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) },
    },
    file: { type: 'varchar' },
    createdAt: { type: Date, name: 'created_at' },
  },
});

export const buildsEntities = [AgentBuildEntity];
