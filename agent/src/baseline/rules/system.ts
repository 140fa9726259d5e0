// process, package, sysctl, service, port, kernel_module and command rules.
import { compareVersions, type PolicyRule } from '@watchpost/proto';
import type { HostView } from '../host.js';
import { unitName } from '../linux/systemd.js';
import { REASONS, type Evidence, type RuleVerdict } from '../types.js';
import { splitCommand } from './argv.js';
import { evidence, safeLine } from './evidence.js';
import { compileTests, findLine, lineSatisfies } from './lineTests.js';
import { errnoCode } from './read.js';

type Rule<K extends PolicyRule['kind']> = Extract<PolicyRule, { kind: K }>;

function verdict(holds: boolean, negate: boolean, ev: Evidence[]): RuleVerdict {
  const state = holds !== negate ? 'true' : 'false';
  return { state, evidence: ev.map((e) => ({ ...e, matched: state === 'true' })) };
}

function invalid(reason: string, desc: string, target: string): RuleVerdict {
  return { state: 'invalid', reason, evidence: [evidence(desc, target, reason, false)] };
}

export async function evaluateProcess(
  host: HostView,
  rule: Rule<'process'>,
  desc: string,
): Promise<RuleVerdict> {
  const matchers = compileTests(rule.tests);
  // The command line is matched but never shown: it may carry passwords given as arguments.
  const hit = (await host.processes()).find(
    (p) => lineSatisfies(matchers, p.name) || lineSatisfies(matchers, p.cmdline),
  );
  const found = hit ? `${hit.name} (pid ${hit.pid})` : 'no matching process';
  return verdict(hit !== undefined, rule.negate, [evidence(desc, 'processes', found, hit !== undefined)]);
}

const VERSION_OPS = {
  lt: (c: number) => c < 0,
  le: (c: number) => c <= 0,
  eq: (c: number) => c === 0,
  ne: (c: number) => c !== 0,
  ge: (c: number) => c >= 0,
  gt: (c: number) => c > 0,
} as const;

export async function evaluatePackage(
  host: HostView,
  rule: Rule<'package'>,
  desc: string,
): Promise<RuleVerdict> {
  const packages = await host.packages();
  if (!packages) return invalid('no package database on this host', desc, rule.name);
  const installed = packages.filter((p) => p.name === rule.name || `${p.name}:${p.arch}` === rule.name);
  if (installed.length === 0)
    return verdict(false, rule.negate, [evidence(desc, rule.name, 'not installed', false)]);
  const bound = rule.version;
  const hit = bound
    ? installed.find((p) => VERSION_OPS[bound.op](compareVersions('dpkg', p.version, bound.value)))
    : installed[0];
  const shown = hit ?? installed[0];
  if (!shown) return verdict(false, rule.negate, [evidence(desc, rule.name, 'not installed', false)]);
  return verdict(hit !== undefined, rule.negate, [
    evidence(desc, rule.name, `installed ${shown.version} (${shown.arch})`, hit !== undefined),
  ]);
}

export async function evaluateSysctl(
  host: HostView,
  rule: Rule<'sysctl'>,
  desc: string,
): Promise<RuleVerdict> {
  const matchers = compileTests(rule.tests);
  const value = await host.sysctl(rule.key);
  if (value === undefined)
    return verdict(false, rule.negate, [evidence(desc, rule.key, 'key not present', false)]);
  // Tests may be written for the bare value ("^0$") or for `sysctl` output ("key = 0").
  const holds = lineSatisfies(matchers, value) || lineSatisfies(matchers, `${rule.key} = ${value}`);
  return verdict(holds, rule.negate, [evidence(desc, rule.key, value, holds)]);
}

export async function evaluateService(
  host: HostView,
  rule: Rule<'service'>,
  desc: string,
): Promise<RuleVerdict> {
  const unit = unitName(rule.name);
  const state = await host.service(unit);
  const facts: string[] = [state.exists ? 'installed' : 'not installed'];
  let holds = true;
  if (rule.enabled !== undefined) {
    facts.push(state.masked ? 'masked' : state.enabled ? 'enabled' : 'disabled');
    holds &&= state.enabled === rule.enabled;
  }
  if (rule.active !== undefined) {
    const active = state.exists ? await host.serviceActive(unit) : false;
    if (active === undefined) return invalid('service state unknown: systemd is not running', desc, unit);
    facts.push(active ? 'active' : 'inactive');
    holds &&= active === rule.active;
  }
  return verdict(holds, rule.negate, [evidence(desc, unit, facts.join(', '), holds)]);
}

const ANY_ADDRESS = new Set(['*', '0.0.0.0', '::']);

export async function evaluatePort(host: HostView, rule: Rule<'port'>, desc: string): Promise<RuleVerdict> {
  const hit = (await host.listeners()).find(
    (l) =>
      l.port === rule.port &&
      l.protocol === rule.protocol &&
      (rule.address === undefined ||
        l.address === rule.address ||
        (ANY_ADDRESS.has(rule.address) && ANY_ADDRESS.has(l.address))),
  );
  const target = `${rule.protocol}/${rule.address ?? '*'}:${rule.port}`;
  const found = hit ? `listening on ${hit.protocol} ${hit.address}:${hit.port}` : 'nothing listening';
  return verdict(hit !== undefined, rule.negate, [evidence(desc, target, found, hit !== undefined)]);
}

export async function evaluateKernelModule(
  host: HostView,
  rule: Rule<'kernel_module'>,
  desc: string,
): Promise<RuleVerdict> {
  const modules = await host.kernelModules();
  if (!modules) return invalid('kernel module list unavailable (/proc/modules)', desc, rule.name);
  const loaded = modules.has(rule.name.replace(/-/g, '_'));
  return verdict(loaded, rule.negate, [evidence(desc, rule.name, loaded ? 'loaded' : 'not loaded', loaded)]);
}

export async function evaluateCommand(
  host: HostView,
  rule: Rule<'command'>,
  desc: string,
  allowCommands: boolean,
): Promise<RuleVerdict> {
  if (!allowCommands) return invalid(REASONS.commandsDisabled, desc, rule.command);
  const argv = splitCommand(rule.command);
  if (!argv)
    return invalid(
      REASONS.unsupported('command needs a shell (pipes, redirections, substitutions)'),
      desc,
      rule.command,
    );
  const matchers = rule.tests && rule.tests.length > 0 ? compileTests(rule.tests) : undefined;
  let out: { exitCode: number; stdout: string };
  try {
    out = await host.runCommand(argv);
  } catch (err) {
    const code = errnoCode(err);
    const reason =
      code === 'ENOENT'
        ? `command not found: ${argv[0]}`
        : code === 'ETIMEDOUT'
          ? 'command timed out'
          : `command failed: ${code}`;
    return invalid(reason, desc, rule.command);
  }
  if (!matchers) {
    const holds = out.exitCode === 0;
    return verdict(holds, rule.negate, [evidence(desc, rule.command, `exit ${out.exitCode}`, holds)]);
  }
  const line = findLine(matchers, out.stdout);
  const found = line === undefined ? `no matching line (exit ${out.exitCode})` : safeLine('', line);
  return verdict(line !== undefined, rule.negate, [evidence(desc, rule.command, found, line !== undefined)]);
}
