// The console's RiskConfig (api-types.ts) must stay the schema's type: checked by tsc both ways,
// and the defaults the hub answers with fit it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RiskConfig as ApiRiskConfig } from './api-types.js';
import { DEFAULT_RISK_CONFIG, riskConfigSchema, type RiskConfig } from './config.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same: Same<ApiRiskConfig, RiskConfig> = true;

test('api-types RiskConfig is the schema type', () => {
  assert.equal(same, true);
  const view: ApiRiskConfig = DEFAULT_RISK_CONFIG;
  assert.deepEqual(riskConfigSchema.parse(view), DEFAULT_RISK_CONFIG);
});
