/** Tag colour of a scan state. */
export function stateTagType(state: string): 'success' | 'danger' | 'warning' | 'info' | 'primary' {
  switch (state) {
    case 'succeeded':
      return 'success';
    case 'failed':
      return 'danger';
    case 'partial':
    case 'cancelled':
      return 'warning';
    case 'running':
      return 'primary';
    default:
      return 'info';
  }
}
