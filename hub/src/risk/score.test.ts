// The risk formula: each factor moves the score the documented way; CVSS from the library.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RISK_CONFIG, dueDateOf, priorityOf } from './config.js';
import { scoreVector } from './cvss.js';
import { riskScore, type RiskInputs } from './score.js';

const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'; // 9.8
const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'; // 9.3
const V31_LOW = 'CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H'; // 7.0

const inputs = (over: Partial<RiskInputs> = {}): RiskInputs => ({
  intelVectors: { v40: null, v31: null },
  scannerVectors: { v31: V31_LOW },
  scannerScore: null,
  severity: 'high',
  kev: { listed: false, knownRansomware: false, dueDate: null },
  epss: null,
  cia: { confidentiality: null, integrity: null, availability: null },
  zone: 'internal',
  portOpen: null,
  confidence: 'confirmed',
  ...over,
});

describe('CVSS via ae-cvss-calculator', () => {
  it('scores v3.1, v3.0 and v4.0 base vectors', () => {
    assert.equal(scoreVector(V31)?.baseScore, 9.8);
    assert.equal(scoreVector(V31.replace('3.1', '3.0'))?.version, '3.0');
    assert.equal(scoreVector(V40)?.baseScore, 9.3);
    assert.equal(scoreVector(V31_LOW)?.baseScore, 7);
  });
  it('refuses incomplete or unknown vectors', () => {
    assert.equal(scoreVector('CVSS:3.1/AV:N/AC:L'), null);
    assert.equal(scoreVector('CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), null);
    assert.equal(scoreVector('garbage'), null);
  });
});

describe('riskScore', () => {
  it('prefers intel v4.0, then intel v3.1, then the scanner', () => {
    const v4 = riskScore(inputs({ intelVectors: { v40: V40, v31: V31 } }));
    assert.deepEqual([v4.base.source, v4.base.version, v4.base.score], ['intel', '4.0', 9.3]);
    const v3 = riskScore(inputs({ intelVectors: { v40: null, v31: V31 } }));
    assert.deepEqual([v3.base.source, v3.base.version, v3.base.score], ['intel', '3.1', 9.8]);
    const scanner = riskScore(inputs());
    assert.deepEqual([scanner.base.source, scanner.base.score, scanner.score], ['scanner', 7, 35]);
    const none = riskScore(inputs({ scannerVectors: {}, scannerScore: null, severity: 'medium' }));
    assert.deepEqual([none.base.source, none.base.score], ['severity', 5.5]);
  });

  it('KEV adds 20, known ransomware use 5 more', () => {
    const kev = riskScore(inputs({ kev: { listed: true, knownRansomware: false, dueDate: null } }));
    assert.equal(kev.score, 55);
    const ransom = riskScore(inputs({ kev: { listed: true, knownRansomware: true, dueDate: null } }));
    assert.equal(ransom.score, 60);
  });

  it('EPSS adds up to 15 by percentile', () => {
    assert.equal(riskScore(inputs({ epss: { probability: 0.9, percentile: 1 } })).score, 50);
    assert.equal(riskScore(inputs({ epss: { probability: 0.001, percentile: 0.2 } })).score, 38);
  });

  it('exposure: internet-facing zone and an open port raise it', () => {
    assert.equal(riskScore(inputs({ zone: 'internet', portOpen: true })).score, 48);
    assert.equal(riskScore(inputs({ zone: 'dmz', portOpen: false })).score, 41);
    assert.equal(riskScore(inputs({ zone: 'internal', portOpen: true })).score, 38);
  });

  it('criticality: the highest CIA level moves it by 2.5 per level around 3', () => {
    assert.equal(
      riskScore(inputs({ cia: { confidentiality: 5, integrity: 2, availability: null } })).score,
      40,
    );
    assert.equal(riskScore(inputs({ cia: { confidentiality: 1, integrity: 1, availability: 1 } })).score, 30);
  });

  it('confidence scales the sum; the score stays within 0–100', () => {
    assert.equal(riskScore(inputs({ confidence: 'tentative' })).score, 24.5);
    const max = riskScore(
      inputs({
        intelVectors: { v40: null, v31: V31 },
        kev: { listed: true, knownRansomware: true, dueDate: null },
        epss: { probability: 1, percentile: 1 },
        cia: { confidentiality: 5, integrity: 5, availability: 5 },
        zone: 'internet',
        portOpen: true,
      }),
    );
    assert.equal(max.score, 100);
  });
});

describe('the worked example of README.md', () => {
  const nessus = inputs({
    scannerVectors: { v31: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
    scannerScore: 9.8,
    severity: 'critical',
    portOpen: true,
    confidence: 'firm',
  });
  it('scanner data only: 46.8, P3', () => {
    const b = riskScore(nessus);
    assert.equal(b.score, 46.8);
    assert.equal(priorityOf(b.score, DEFAULT_RISK_CONFIG), 'P3');
  });
  it('with KEV, EPSS, dmz and confidentiality 4: 85.6, P1', () => {
    const b = riskScore({
      ...nessus,
      intelVectors: { v40: null, v31: V31 },
      kev: { listed: true, knownRansomware: false, dueDate: '2026-12-01' },
      epss: { probability: 0.42, percentile: 0.97 },
      cia: { confidentiality: 4, integrity: 3, availability: 2 },
      zone: 'dmz',
    });
    assert.equal(b.score, 85.6);
    assert.equal(priorityOf(b.score, DEFAULT_RISK_CONFIG), 'P1');
  });
});

describe('SLA', () => {
  const first = new Date('2026-01-01T00:00:00Z');
  it('maps bands to priorities and days', () => {
    assert.deepEqual(
      [95, 70, 69.9, 50, 30, 29.9].map((s) => priorityOf(s, DEFAULT_RISK_CONFIG)),
      ['P1', 'P1', 'P2', 'P2', 'P3', 'P4'],
    );
    assert.equal(
      dueDateOf('P2', first, null, DEFAULT_RISK_CONFIG).dueAt.toISOString(),
      '2026-01-31T00:00:00.000Z',
    );
  });
  it("caps the deadline at KEV's due date when that is earlier", () => {
    const capped = dueDateOf('P4', first, '2026-01-15', DEFAULT_RISK_CONFIG);
    assert.deepEqual([capped.dueAt.toISOString(), capped.kevCapped], ['2026-01-15T23:59:59.999Z', true]);
    const later = dueDateOf('P1', first, '2026-03-01', DEFAULT_RISK_CONFIG);
    assert.equal(later.kevCapped, false);
    const off = dueDateOf('P4', first, '2026-01-15', { ...DEFAULT_RISK_CONFIG, kevOverride: false });
    assert.equal(off.kevCapped, false);
  });
});
