// Response types of GET/PUT /api/v1/risk/config, shared type-only with the console. Standalone
// (no import of config.ts, which would pull the findings module into the console's type check);
// api-types.test.ts proves both ways that it is exactly config.ts's RiskConfig.
type Bands = { P1: number; P2: number; P3: number };

/** A tenant's SLA policy (see config.ts riskConfigSchema). */
export interface RiskConfig {
  bands: Bands;
  slaDays: Bands & { P4: number };
  kevOverride: boolean;
}
/** GET /risk/config. */
export interface RiskConfigView {
  config: RiskConfig;
}
/** PUT /risk/config: the saved policy and how many open findings were re-scored under it. */
export interface RiskConfigSaved {
  config: RiskConfig;
  rescored: number;
}
