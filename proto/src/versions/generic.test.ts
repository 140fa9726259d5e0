import { test } from 'node:test';
import assert from 'node:assert/strict';
import { genericCompare } from './generic.js';
import { compareVersions, versionScheme } from './index.js';

test('generic comparator orders upstream versions as NVD ranges expect', () => {
  const cases: Array<[string, string, -1 | 0 | 1]> = [
    ['2.4.49', '2.4.5', 1],
    ['2.4.49', '2.4.50', -1],
    ['1.1.1k', '1.1.1', 1],
    ['1.1.1k', '1.1.1l', -1],
    ['1.1.1', '1.1.1a', -1],
    ['7.4p1', '7.4', 1],
    ['7.4p1', '9.3p2', -1],
    ['1.2', '1.2.0', 0],
    ['1.0rc1', '1.0', -1],
    ['1.0-rc1', '1.0.0', -1],
    ['1.0.0-beta', '1.0.0-rc.1', -1],
    ['1.0.0-alpha', '1.0.0-beta', -1],
    ['5.7.32', '5.7.4', 1],
    ['1.0.1', '1.0.rc1', 1],
    ['V2.0', 'v2.0', 0],
    ['10.0', '9.99', 1],
  ];
  for (const [a, b, want] of cases) {
    assert.equal(genericCompare(a, b), want, `${a} vs ${b}`);
    assert.equal(genericCompare(b, a), 0 - want, `${b} vs ${a}`);
  }
});

test('compareVersions dispatches on the ecosystem', () => {
  assert.equal(versionScheme('Debian:12'), 'dpkg');
  assert.equal(versionScheme('Ubuntu:22.04:LTS'), 'dpkg');
  assert.equal(versionScheme('Alpine:v3.19'), 'apk');
  assert.equal(versionScheme('Red Hat:9'), 'rpm');
  assert.equal(versionScheme('Rocky Linux:9'), 'rpm');
  assert.equal(versionScheme('npm'), 'generic');
  // The same pair orders differently under different schemes: a tilde pre-release.
  assert.equal(compareVersions('Debian:12', '1.0~rc1', '1.0'), -1);
  assert.equal(compareVersions('rpm', '1.0~rc1', '1.0'), -1);
  assert.equal(compareVersions('Alpine:v3.19', '1.0_rc1', '1.0'), -1);
  assert.equal(compareVersions('Debian:12', '1:1.0', '2.0'), 1);
  assert.equal(compareVersions('generic', '2.4.49', '2.4.50'), -1);
});
