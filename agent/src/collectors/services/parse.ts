// Pure parsers of service manager output.

export interface ServiceRecord {
  name: string;
  running: boolean;
  enabled: boolean;
  manager: string;
}

/** `systemctl list-units --plain --no-legend`: UNIT LOAD ACTIVE SUB DESCRIPTION... */
export function parseSystemctlUnits(text: string): Map<string, { running: boolean }> {
  const out = new Map<string, { running: boolean }>();
  for (const line of text.split('\n')) {
    const f = line
      .replace(/^[●*]\s*/, '')
      .trim()
      .split(/\s+/);
    const [unit, , , sub] = f;
    if (!unit?.endsWith('.service') || f.length < 4) continue;
    out.set(unit.slice(0, -'.service'.length), { running: sub === 'running' });
  }
  return out;
}

/** `systemctl list-unit-files --no-legend`: UNIT STATE [PRESET] */
export function parseSystemctlUnitFiles(text: string): Map<string, { enabled: boolean }> {
  const out = new Map<string, { enabled: boolean }>();
  for (const line of text.split('\n')) {
    const [unit, state] = line.trim().split(/\s+/);
    if (!unit?.endsWith('.service') || !state || unit.includes('@.service')) continue;
    out.set(unit.slice(0, -'.service'.length), {
      enabled: state === 'enabled' || state === 'enabled-runtime' || state === 'alias',
    });
  }
  return out;
}

export function mergeSystemd(
  units: Map<string, { running: boolean }>,
  files: Map<string, { enabled: boolean }>,
): ServiceRecord[] {
  const names = new Set([...units.keys(), ...files.keys()]);
  return [...names].sort().map((name) => ({
    name,
    running: units.get(name)?.running ?? false,
    enabled: files.get(name)?.enabled ?? false,
    manager: 'systemd',
  }));
}

/** `service --status-all`: " [ + ]  name" (running), "[ - ]" (stopped), "[ ? ]" (unknown). */
export function parseServiceStatusAll(text: string, enabledNames: ReadonlySet<string>): ServiceRecord[] {
  const out: ServiceRecord[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*\[\s*([+\-?])\s*\]\s+(\S+)/.exec(line);
    if (!m?.[2]) continue;
    out.push({ name: m[2], running: m[1] === '+', enabled: enabledNames.has(m[2]), manager: 'sysv' });
  }
  return out;
}
