import type { PolicyDocument } from '@watchpost/proto';
import type { PolicySummaryView, PolicyView } from './api-types.js';
import { parseAssignment } from './assignment.js';
import type { PolicyRow } from './entities.js';

export function policySummary(p: PolicyRow): PolicySummaryView {
  const doc = JSON.parse(p.compiled) as PolicyDocument;
  return {
    id: p.id,
    policyKey: p.policyKey,
    title: p.title,
    version: doc.version,
    source: p.source,
    builtin: p.builtin,
    revision: p.revision,
    checks: doc.checks.length,
    assignment: parseAssignment(p.assignment),
    createdBy: p.createdBy,
    updatedBy: p.updatedBy,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function policyView(p: PolicyRow): PolicyView {
  return { ...policySummary(p), yaml: p.yaml, document: JSON.parse(p.compiled) as unknown };
}
