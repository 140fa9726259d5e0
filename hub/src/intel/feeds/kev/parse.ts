// CISA KEV catalog entry → KevEntry.
import type { KevEntry } from '../../store-api.js';
import { isoDate, obj, requireId, str, strs, RecordError } from '../common.js';

export function parseKevEntry(raw: unknown): KevEntry {
  const e = obj(raw);
  const cve = requireId(e.cveID, 'KEV entry');
  const dateAdded = isoDate(e.dateAdded);
  if (dateAdded === null) throw new RecordError(`KEV entry ${cve}: missing dateAdded`);
  return {
    cve,
    vendorProject: str(e.vendorProject) ?? '',
    product: str(e.product) ?? '',
    vulnerabilityName: str(e.vulnerabilityName) ?? '',
    dateAdded,
    dueDate: isoDate(e.dueDate),
    requiredAction: str(e.requiredAction) ?? '',
    knownRansomwareCampaignUse: str(e.knownRansomwareCampaignUse) ?? 'Unknown',
    notes: str(e.notes) ?? '',
    cwes: strs(e.cwes),
  };
}
