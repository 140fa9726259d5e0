// Inventory section names (PROTOCOL.md "Inventory reports"): the agent fills them, the hub stores
// them. One list, here, for both.
export const INVENTORY_SECTIONS = [
  'host',
  'interfaces',
  'processes',
  'services',
  'accounts',
  'groups',
  'listeners',
  'packages',
] as const;
export type InventorySection = (typeof INVENTORY_SECTIONS)[number];

export const isInventorySection = (s: string): s is InventorySection =>
  (INVENTORY_SECTIONS as readonly string[]).includes(s);
