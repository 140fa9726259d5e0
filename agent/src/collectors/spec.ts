// What every collector declares: the inventory section it fills, what it reads, and the cap on
// its list (PROTOCOL.md "Limits": 100,000 packages, 20,000 processes, 10,000 of anything else).
import { INVENTORY_SECTIONS, type InventorySection } from '@watchpost/proto';
export type SectionName = InventorySection;
export const SECTION_NAMES: readonly SectionName[] = INVENTORY_SECTIONS;

export interface CollectorSpec {
  name: string;
  sections: readonly SectionName[];
  platforms: readonly NodeJS.Platform[];
  reads: readonly string[];
  /** Most items sent per list section; the rest is cut (and logged). */
  maxItems: number;
}

export const LIST_LIMITS = { packages: 100_000, processes: 20_000, other: 10_000 } as const;
