// Applies one batch of feed items in ONE transaction: compare each record with what is stored
// (content hash; an older `modified` never replaces a newer one), write new and updated rows with
// multi-row INSERTs, and record what changed. A batch is all-or-nothing.
import type { EntityManager } from 'typeorm';
import type { Dialect } from '../../db/portable.js';
import { instantParam } from '../../db/raw.js';
import { dedupe, deleteIn, insertRows, lastByKey, selectIn } from './sql.js';
import type { FeedItem } from '../feeds/index.js';
import type { ChangeKind, EpssScore, FieldChange, IntelSource, KevEntry, VulnRecord } from '../store-api.js';
import { diffEpss, diffKev, diffVuln } from './diff.js';
import {
  AFFECTED_COLUMNS,
  ALIAS_COLUMNS,
  contentHash,
  hashText,
  CPE_COLUMNS,
  FIX_COLUMNS,
  recordRows,
  VULN_COLUMNS,
} from './rows.js';

export type ValidItem = Exclude<FeedItem, { kind: 'invalid' }>;

export interface BatchOutcome {
  new: number;
  updated: number;
  unchanged: number;
  /** Vulnerability ids with a recorded change. */
  changedIds: string[];
}

interface Change {
  vulnId: string;
  source: IntelSource;
  kind: ChangeKind;
  fields: FieldChange[];
}

const CHANGE_COLUMNS = ['import_id', 'vuln_id', 'source', 'kind', 'fields', 'changed_at'] as const;

export class IntelWriter {
  constructor(
    private readonly dialect: Dialect,
    private readonly clock: () => Date,
  ) {}

  async apply(em: EntityManager, importId: string, items: readonly ValidItem[]): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { new: 0, updated: 0, unchanged: 0, changedIds: [] };
    const changes: Change[] = [];
    const bySource = new Map<IntelSource, { key: string; record: VulnRecord }[]>();
    const kev: { key: string; entry: KevEntry }[] = [];
    const epss: { key: string; score: EpssScore }[] = [];
    for (const it of items) {
      if (it.kind === 'vuln') {
        const list = bySource.get(it.record.source) ?? [];
        list.push({ key: it.key, record: it.record });
        bySource.set(it.record.source, list);
      } else if (it.kind === 'kev') kev.push(it);
      else epss.push(it);
    }
    for (const [source, list] of bySource)
      await this.applyVulns(em, importId, source, list, outcome, changes);
    if (kev.length) await this.applyKev(em, importId, kev, outcome, changes);
    if (epss.length) await this.applyEpss(em, importId, epss, outcome, changes);
    const at = instantParam(this.dialect, this.clock());
    await insertRows(
      em,
      this.dialect,
      'intel_changes',
      CHANGE_COLUMNS,
      changes.map((c) => [importId, c.vulnId, c.source, c.kind, JSON.stringify(c.fields), at]),
    );
    outcome.changedIds = [...new Set(changes.map((c) => c.vulnId))];
    return outcome;
  }

  private async applyVulns(
    em: EntityManager,
    importId: string,
    source: IntelSource,
    list: { key: string; record: VulnRecord }[],
    outcome: BatchOutcome,
    changes: Change[],
  ): Promise<void> {
    const incoming = lastByKey(list);
    const keys = [...incoming.keys()];
    const stored = await selectIn<{
      record_key: string;
      content_hash: string;
      modified: string | null;
      doc: string;
    }>(
      em,
      this.dialect,
      (ph) =>
        `SELECT record_key, content_hash, modified, doc FROM intel_vulns WHERE source = ? AND record_key IN (${ph})`,
      [source],
      keys,
    );
    const byKey = new Map(stored.map((r) => [r.record_key, r]));
    const write: { key: string; record: VulnRecord; doc: string; hash: string }[] = [];
    const replaced: string[] = [];
    for (const { key, record } of incoming.values()) {
      const doc = JSON.stringify(record);
      const hash = hashText(doc);
      const old = byKey.get(key);
      if (old === undefined) {
        outcome.new++;
        write.push({ key, record, doc, hash });
        changes.push({ vulnId: record.id, source, kind: 'new', fields: [] });
      } else if (
        old.content_hash === hash ||
        (old.modified && record.modified && record.modified < old.modified)
      ) {
        outcome.unchanged++;
      } else {
        outcome.updated++;
        write.push({ key, record, doc, hash });
        replaced.push(key);
        changes.push({
          vulnId: record.id,
          source,
          kind: 'updated',
          fields: diffVuln(JSON.parse(old.doc) as VulnRecord, record),
        });
      }
    }
    for (const table of [
      'intel_aliases',
      'intel_affected',
      'intel_cpe_products',
      'intel_distro_fixes',
      'intel_vulns',
    ])
      await deleteIn(em, this.dialect, table, 'source = ? AND record_key', [source], replaced);
    const rows = write.map((w) => recordRows(w.key, w.record, w.doc, w.hash, importId));
    await insertRows(
      em,
      this.dialect,
      'intel_vulns',
      VULN_COLUMNS,
      rows.map((r) => r.vuln),
    );
    await insertRows(
      em,
      this.dialect,
      'intel_aliases',
      ALIAS_COLUMNS,
      dedupe(rows.flatMap((r) => r.aliases)),
    );
    await insertRows(
      em,
      this.dialect,
      'intel_affected',
      AFFECTED_COLUMNS,
      rows.flatMap((r) => r.affected),
    );
    await insertRows(
      em,
      this.dialect,
      'intel_cpe_products',
      CPE_COLUMNS,
      rows.flatMap((r) => r.cpes),
    );
    await insertRows(
      em,
      this.dialect,
      'intel_distro_fixes',
      FIX_COLUMNS,
      rows.flatMap((r) => r.fixes),
    );
  }

  private async applyKev(
    em: EntityManager,
    importId: string,
    list: { key: string; entry: KevEntry }[],
    outcome: BatchOutcome,
    changes: Change[],
  ): Promise<void> {
    const incoming = lastByKey(list);
    const stored = await selectIn<{ cve: string; content_hash: string; doc: string }>(
      em,
      this.dialect,
      (ph) => `SELECT cve, content_hash, doc FROM intel_kev WHERE cve IN (${ph})`,
      [],
      [...incoming.keys()],
    );
    const byKey = new Map(stored.map((r) => [r.cve, r]));
    const rows: unknown[][] = [];
    const replaced: string[] = [];
    for (const { key, entry } of incoming.values()) {
      const hash = contentHash(entry);
      const old = byKey.get(key);
      if (old?.content_hash === hash) {
        outcome.unchanged++;
        continue;
      }
      if (old) replaced.push(key);
      if (old) outcome.updated++;
      else outcome.new++;
      rows.push([key, entry.dateAdded, hash, JSON.stringify(entry), importId]);
      const before = old ? (JSON.parse(old.doc) as KevEntry) : null;
      changes.push({
        vulnId: key,
        source: 'kev',
        kind: old ? 'updated' : 'new',
        fields: diffKev(before, entry),
      });
    }
    await deleteIn(em, this.dialect, 'intel_kev', 'cve', [], replaced);
    await insertRows(
      em,
      this.dialect,
      'intel_kev',
      ['cve', 'date_added', 'content_hash', 'doc', 'import_id'],
      rows,
    );
  }

  private async applyEpss(
    em: EntityManager,
    importId: string,
    list: { key: string; score: EpssScore }[],
    outcome: BatchOutcome,
    changes: Change[],
  ): Promise<void> {
    const incoming = lastByKey(list);
    const stored = await selectIn<{
      cve: string;
      score: number;
      percentile: number;
      score_date: string;
      model_version: string;
    }>(
      em,
      this.dialect,
      (ph) => `SELECT cve, score, percentile, score_date, model_version FROM intel_epss WHERE cve IN (${ph})`,
      [],
      [...incoming.keys()],
    );
    const byKey = new Map(stored.map((r) => [r.cve, r]));
    const rows: unknown[][] = [];
    const replaced: string[] = [];
    for (const { key, score } of incoming.values()) {
      const old = byKey.get(key);
      const same =
        old !== undefined &&
        (old.score_date > score.date ||
          (old.score_date === score.date &&
            old.score === score.score &&
            old.percentile === score.percentile));
      if (same) {
        outcome.unchanged++;
        continue;
      }
      rows.push([key, score.score, score.percentile, score.date, score.modelVersion, importId]);
      if (old === undefined) {
        // A first score is not news; risk scoring reads it, but no change is recorded.
        outcome.new++;
        continue;
      }
      outcome.updated++;
      replaced.push(key);
      const before: EpssScore = {
        cve: key,
        score: old.score,
        percentile: old.percentile,
        date: old.score_date,
        modelVersion: old.model_version,
      };
      const fields = diffEpss(before, score);
      if (fields) changes.push({ vulnId: key, source: 'epss', kind: 'updated', fields });
    }
    await deleteIn(em, this.dialect, 'intel_epss', 'cve', [], replaced);
    await insertRows(
      em,
      this.dialect,
      'intel_epss',
      ['cve', 'score', 'percentile', 'score_date', 'model_version', 'import_id'],
      rows,
    );
  }
}
