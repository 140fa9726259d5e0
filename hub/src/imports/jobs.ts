// Background imports started over the API: each runs in this hub process and is polled with
// GET /imports/:id. Jobs live in memory (bounded, newest kept): the outcome that matters — assets
// and findings — is in the store; a restart loses only the progress record of running jobs.
import { rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import { isHubError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import {
  runImport,
  type ImportCounts,
  type ImportProgress,
  type ImportRequest,
  type PipelineDeps,
} from './pipeline.js';
import type { ImportFormat } from './types.js';

const MAX_JOBS = 500;

export interface ImportJob {
  id: string;
  tenantId: string;
  format: ImportFormat;
  state: 'running' | 'succeeded' | 'failed';
  progress: ImportProgress;
  result: ImportCounts | null;
  error: { code: string; message: string; details?: Record<string, unknown> } | null;
  startedAt: string;
  finishedAt: string | null;
}

export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>();

  constructor(
    private readonly deps: PipelineDeps,
    private readonly log: Logger,
  ) {}

  /** Starts importing and returns at once; `ownedDir` (the upload's temp dir) is removed after. */
  start(req: Omit<ImportRequest, 'importId'>, ownedDir: string): ImportJob {
    const job: ImportJob = {
      id: newId(),
      tenantId: req.tenantId,
      format: req.format,
      state: 'running',
      progress: { phase: 'parsing', hostsDone: 0, bytesDone: 0, bytesTotal: 0 },
      result: null,
      error: null,
      startedAt: this.deps.clock().toISOString(),
      finishedAt: null,
    };
    this.jobs.set(job.id, job);
    while (this.jobs.size > MAX_JOBS) this.jobs.delete(this.jobs.keys().next().value as string);
    void runImport(this.deps, { ...req, importId: job.id }, (p) => (job.progress = p))
      .then((counts) => {
        job.state = 'succeeded';
        job.result = counts;
      })
      .catch((err: unknown) => {
        job.state = 'failed';
        if (isHubError(err))
          job.error = {
            code: err.code,
            message: err.message,
            ...(err.details ? { details: { ...err.details } } : {}),
          };
        else {
          job.error = { code: 'INTERNAL', message: 'import failed' };
          this.log.error({ err, importId: job.id }, 'import failed');
        }
      })
      .finally(() => {
        job.finishedAt = this.deps.clock().toISOString();
        void rm(ownedDir, { recursive: true, force: true });
      });
    return job;
  }

  /** The tenant's job; another tenant's id is not found. */
  get(tenantId: string, id: string): ImportJob | undefined {
    const job = this.jobs.get(id);
    return job && job.tenantId === tenantId ? job : undefined;
  }
}
