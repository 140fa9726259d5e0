// `watchpost-hub policy list|import|validate|assign`. Changes made here reach agents connected to
// a running hub through its delivery sweep (policies.updated_at), like changes on another node.
import { readFileSync, statSync } from 'node:fs';
import { POLICY_LIMITS } from '@watchpost/proto';
import { createLogger } from '../platform/log.js';
import { isHubError } from '../platform/errors.js';
import { parse, requireString, UsageError } from '../cli/args.js';
import { withStore } from '../cli/commands.js';
import { emit, table } from '../cli/output.js';
import { loadBuiltinPolicies, syncBuiltins } from './builtins.js';
import { PoliciesService } from './service.js';
import { validatePolicyYaml } from './validate-yaml.js';

const USAGE =
  'usage: policy list --tenant NAME | policy import FILE --tenant NAME [--sca] | policy validate FILE | ' +
  'policy assign ID --tenant NAME [--all] [--agents ID,…] [--tags TAG,…]';

function readPolicyFile(path: string): string {
  if (statSync(path).size > POLICY_LIMITS.maxDocumentBytes) {
    throw new UsageError(`${path} is larger than ${POLICY_LIMITS.maxDocumentBytes} bytes`);
  }
  return readFileSync(path, 'utf8');
}

const list = (v: string | undefined) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

export async function policyCommand(args: string[]): Promise<void> {
  const a = parse(args, {
    tenant: { type: 'string' },
    sca: { type: 'boolean', default: false },
    all: { type: 'boolean', default: false },
    agents: { type: 'string' },
    tags: { type: 'string' },
  });
  const [sub, arg] = a.positionals;
  const log = createLogger('warn');
  if (sub === 'validate') {
    const text = readPolicyFile(requireString(arg, 'FILE'));
    const r = validatePolicyYaml(text);
    const v = r.ok
      ? { valid: true, errors: [], checks: r.document.checks.length }
      : { valid: false, errors: r.errors, checks: 0 };
    const human = r.ok
      ? `valid: ${v.checks} checks`
      : r.errors.map((e) => `line ${e.line}:${e.column} ${e.path} ${e.message}`).join('\n');
    emit(a.json, v, human);
    if (!r.ok) process.exitCode = 1;
    return;
  }
  if (sub !== 'list' && sub !== 'import' && sub !== 'assign') throw new UsageError(USAGE);
  await withStore(a.str('data-dir'), async (tenancy) => {
    const tenant = await tenancy.requireTenant(requireString(a.str('tenant'), '--tenant'));
    const service = new PoliciesService(tenancy.repo.dataSource, () => new Date(), log);
    try {
      if (sub === 'list') {
        await syncBuiltins(service, [tenant.id], loadBuiltinPolicies(), () => new Date(), log);
        const page = await service.list(tenant.id, 200, 0);
        emit(
          a.json,
          page,
          table(page.items as unknown as Record<string, unknown>[], [
            'id',
            'policyKey',
            'revision',
            'source',
            'checks',
            'title',
          ]),
        );
      } else if (sub === 'import') {
        const text = readPolicyFile(requireString(arg, 'FILE'));
        // An SCA file has a top-level `policy:` map; --sca forces the importer.
        if (args.includes('--sca') || /^policy\s*:/m.test(text)) {
          const r = await service.importSca(tenant.id, 'cli', text);
          emit(
            a.json,
            r,
            `imported ${r.policy.policyKey} (${r.policy.id}): ${r.stats.checks} checks, ${r.stats.unsupportedRules} unsupported rules`,
          );
        } else {
          const p = await service.create(tenant.id, 'cli', text);
          emit(a.json, p, `created ${p.policyKey} (${p.id}), ${p.checks} checks`);
        }
      } else {
        const p = await service.assign(tenant.id, 'cli', requireString(arg, 'ID'), {
          tenant: args.includes('--all'),
          agentIds: list(a.str('agents')),
          tags: list(a.str('tags')),
        });
        emit(a.json, p, `${p.policyKey} revision ${p.revision} assigned: ${JSON.stringify(p.assignment)}`);
      }
    } catch (err) {
      // Store errors (invalid policy, unknown id) are the user's input: exit 2 with the reason.
      if (isHubError(err)) {
        const errors =
          (err.details?.['errors'] as { line: number; path: string; message: string }[] | undefined) ?? [];
        throw new UsageError(
          [
            `${err.code}: ${err.message}`,
            ...errors.slice(1, 20).map((e) => `line ${e.line}: ${e.path} ${e.message}`),
          ].join('\n'),
        );
      }
      throw err;
    }
  });
}
