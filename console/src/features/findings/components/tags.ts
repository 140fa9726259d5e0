/** Element Plus tag colours for severities and priorities, shared by the findings pages. */
type TagType = 'danger' | 'warning' | 'primary' | 'info' | 'success';

export function severityTag(s: string): TagType {
  return s === 'critical' || s === 'high' ? 'danger' : s === 'medium' ? 'warning' : 'info';
}
export function priorityTag(p: string): TagType {
  return p === 'P1' ? 'danger' : p === 'P2' ? 'warning' : p === 'P3' ? 'primary' : 'info';
}
