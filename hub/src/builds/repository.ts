// The only code touching agent_builds (platform-level rows: no tenant).
import type { DataSource } from 'typeorm';
import { AgentBuildEntity, type AgentBuildRow, type BuildPlatform } from './entities.js';

export class BuildsRepository {
  constructor(private readonly ds: DataSource) {}

  private get repo() {
    return this.ds.getRepository(AgentBuildEntity);
  }

  find(version: string, platform: BuildPlatform): Promise<AgentBuildRow | null> {
    return this.repo.findOneBy({ version, platform });
  }

  list(): Promise<AgentBuildRow[]> {
    return this.repo.find({ order: { createdAt: 'DESC' } });
  }

  latest(platform: BuildPlatform): Promise<AgentBuildRow | null> {
    return this.repo.findOne({ where: { platform }, order: { createdAt: 'DESC' } });
  }

  /** Replaces a build of the same version and platform (re-signing a rebuilt file). */
  async upsert(row: AgentBuildRow): Promise<void> {
    await this.repo.save(row);
  }
}
