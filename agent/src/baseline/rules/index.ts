// One rule → one verdict. Dispatch by kind plus the short native description used as the
// evidence's `rule` text.
import type { PolicyRule } from '@watchpost/proto';
import type { HostView } from '../host.js';
import { REASONS, type RuleVerdict } from '../types.js';
import { evaluateAccounts, evaluateGroups } from './accounts.js';
import { evidence } from './evidence.js';
import { evaluateDirectory, evaluateFile, evaluateFileStat } from './files.js';
import { describeTest, describeTests } from './lineTests.js';
import {
  evaluateCommand,
  evaluateKernelModule,
  evaluatePackage,
  evaluatePort,
  evaluateProcess,
  evaluateService,
  evaluateSysctl,
} from './system.js';

export function describeRule(rule: PolicyRule): string {
  const not = 'negate' in rule && rule.negate ? 'not ' : '';
  switch (rule.kind) {
    case 'file':
      return `${not}f:${rule.path}${describeTests(rule.tests)}`;
    case 'directory':
      return `${not}d:${rule.path}${rule.recursive ? ' (recursive)' : ''}${rule.name ? ` -> ${describeTest(rule.name)}` : ''}${describeTests(rule.tests)}`;
    case 'file_stat': {
      const parts = [
        rule.maxMode && `mode<=${rule.maxMode}`,
        rule.owner && `owner=${rule.owner}`,
        rule.group && `group=${rule.group}`,
        rule.type && `type=${rule.type}`,
      ].filter(Boolean);
      return `${not}stat:${rule.path} ${parts.join(' ')}`.trim();
    }
    case 'process':
      return `${not}p:${describeTests(rule.tests).replace(/^ -> /, '')}`;
    case 'package':
      return `${not}package:${rule.name}${rule.version ? ` ${rule.version.op} ${rule.version.value}` : ''}`;
    case 'sysctl':
      return `${not}sysctl:${rule.key}${describeTests(rule.tests)}`;
    case 'service':
      return `${not}service:${rule.name}${rule.enabled === undefined ? '' : rule.enabled ? ' enabled' : ' disabled'}${rule.active === undefined ? '' : rule.active ? ' active' : ' inactive'}`;
    case 'port':
      return `${not}port:${rule.protocol}/${rule.address ?? '*'}:${rule.port}`;
    case 'accounts':
      return `${not}accounts:${JSON.stringify({ uid: rule.uid, emptyPassword: rule.emptyPassword, shell: rule.shell && describeTest(rule.shell), name: rule.name && describeTest(rule.name), except: rule.except.length ? rule.except : undefined })}`;
    case 'groups':
      return `${not}groups:${JSON.stringify({ gid: rule.gid, name: rule.name && describeTest(rule.name), hasMembers: rule.hasMembers, except: rule.except.length ? rule.except : undefined })}`;
    case 'kernel_module':
      return `${not}module:${rule.name}`;
    case 'command':
      return `${not}c:${rule.command}${describeTests(rule.tests)}`;
    case 'unsupported':
      return rule.source;
  }
}

export interface RuleContext {
  host: HostView;
  allowCommands: boolean;
}

/** Throws RuleError for defects of the rule itself (bad regex); fs trouble becomes `invalid`. */
export async function evaluateRule(rule: PolicyRule, ctx: RuleContext): Promise<RuleVerdict> {
  const desc = describeRule(rule);
  const { host } = ctx;
  switch (rule.kind) {
    case 'file':
      return evaluateFile(host, rule, desc);
    case 'directory':
      return evaluateDirectory(host, rule, desc);
    case 'file_stat':
      return evaluateFileStat(host, rule, desc);
    case 'process':
      return evaluateProcess(host, rule, desc);
    case 'package':
      return evaluatePackage(host, rule, desc);
    case 'sysctl':
      return evaluateSysctl(host, rule, desc);
    case 'service':
      return evaluateService(host, rule, desc);
    case 'port':
      return evaluatePort(host, rule, desc);
    case 'accounts':
      return evaluateAccounts(host, rule, desc);
    case 'groups':
      return evaluateGroups(host, rule, desc);
    case 'kernel_module':
      return evaluateKernelModule(host, rule, desc);
    case 'command':
      return evaluateCommand(host, rule, desc, ctx.allowCommands);
    case 'unsupported': {
      const reason = REASONS.unsupported(rule.reason);
      return { state: 'invalid', reason, evidence: [evidence(desc, '', reason, false)] };
    }
  }
}
