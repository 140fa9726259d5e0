// Tenancy REST shapes the console reads (types only).
export interface TenantScopeView {
  /** CIDRs scans of this tenant may target; targets outside are refused (SCOPE_VIOLATION). */
  cidrs: string[];
  /** IANA timezone scan windows are evaluated in unless a scan names its own. */
  timezone: string;
}

export interface CreatedEnrollmentTokenView {
  id: string;
  /** Shown once: only its hash is stored. */
  token: string;
  tenantId: string;
  expiresAt: string;
  usesLeft: number | null;
  /** `curl … | sudo sh -s -- --token …`, with the hub URL the browser reached. */
  installCommand: string;
}
