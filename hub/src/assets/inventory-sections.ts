// Inventory section names and the limits PROTOCOL.md documents for a report ("Limits" table).
export { INVENTORY_SECTIONS, isInventorySection, type InventorySection } from '@watchpost/proto';

export const INVENTORY_LIMITS = {
  packages: 100_000,
  processes: 20_000,
  /** Every other list (interfaces, services, accounts, groups, listeners, group members, ips). */
  otherList: 10_000,
  /** Section names in `sections` / `unchanged_sections` and entries in `digests`. */
  sectionNames: 64,
  /** Longest section name or digest text accepted. */
  digestChars: 128,
} as const;
