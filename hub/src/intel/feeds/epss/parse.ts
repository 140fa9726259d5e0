// FIRST EPSS CSV: `#model_version:v2025.03.14,score_date:2025-03-15T00:00:00+0000`, then
// `cve,epss,percentile` rows.
import type { EpssScore } from '../../store-api.js';
import { isoDate, num, requireId, RecordError } from '../common.js';

export interface EpssHeader {
  modelVersion: string;
  date: string;
}

export function parseEpssHeader(line: string): EpssHeader {
  const m = /^#model_version:([^,\s]+),score_date:(\d{4}-\d\d-\d\d)/.exec(line.trim());
  if (!m || m[1] === undefined || m[2] === undefined)
    throw new RecordError('EPSS: first line is not `#model_version:…,score_date:…`');
  return { modelVersion: m[1], date: isoDate(m[2]) ?? m[2] };
}

export function parseEpssRow(row: readonly string[], header: EpssHeader): EpssScore {
  const cve = requireId(row[0], 'EPSS row');
  const score = num(row[1]);
  const percentile = num(row[2]);
  if (score === null || percentile === null || score < 0 || score > 1 || percentile < 0 || percentile > 1)
    throw new RecordError(`EPSS row ${cve}: epss/percentile not in 0..1`);
  return { cve, score, percentile, date: header.date, modelVersion: header.modelVersion };
}
