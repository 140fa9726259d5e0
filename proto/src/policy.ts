// The baseline policy document: what a PolicyUpdate carries (format POLICY_FORMAT, UTF-8 JSON)
// and, written as YAML, what experts author (hub/src/baselines parses YAML, imports Wazuh SCA,
// then validates with this same schema). The agent validates again before applying and keeps
// its last good version when a document fails. One schema, two sides: they cannot disagree.
import { z } from 'zod';

export const POLICY_FORMAT = 'watchpost-policy/v1+json';

/** Bounds that keep a hostile or broken document from exhausting the agent. */
export const POLICY_LIMITS = {
  maxChecks: 2000,
  maxRulesPerCheck: 64,
  maxTestsPerRule: 16,
  maxPatternLength: 1024,
  maxTextLength: 8192,
  maxWatchPaths: 512,
  maxDocumentBytes: 4 * 1024 * 1024,
} as const;

const text = z.string().max(POLICY_LIMITS.maxTextLength);
const pattern = z.string().min(1).max(POLICY_LIMITS.maxPatternLength);
const path = z.string().min(1).max(4096);

/** A test applied to a line of text (file line, command output line, sysctl value, process). */
export const lineTestSchema = z.discriminatedUnion('type', [
  /** The line matches the regular expression (JavaScript syntax; SCA OS_Regex is translated). */
  z.object({
    type: z.literal('regex'),
    pattern,
    ignoreCase: z.boolean().default(false),
    negate: z.boolean().default(false),
  }),
  /** `pattern` has one capture group; the captured number compared with `value`. */
  z.object({
    type: z.literal('numeric'),
    pattern,
    op: z.enum(['lt', 'le', 'eq', 'ne', 'ge', 'gt']),
    value: z.number(),
    ignoreCase: z.boolean().default(false),
    negate: z.boolean().default(false),
  }),
  /** The whole line (trimmed of the trailing newline) equals `value`. */
  z.object({ type: z.literal('literal'), value: text, negate: z.boolean().default(false) }),
]);
export type LineTest = z.infer<typeof lineTestSchema>;

const tests = z.array(lineTestSchema).max(POLICY_LIMITS.maxTestsPerRule);
/** Content tests hold when ONE line satisfies ALL tests (SCA `&&` semantics). */
const contentTests = tests.optional();

const versionCompare = z.object({
  op: z.enum(['lt', 'le', 'eq', 'ne', 'ge', 'gt']),
  value: z.string().min(1).max(256),
});

export const ruleSchema = z.discriminatedUnion('kind', [
  /** File exists (or not, with negate) and, with tests, some line satisfies them. */
  z.object({ kind: z.literal('file'), path, tests: contentTests, negate: z.boolean().default(false) }),
  /** Directory entries whose NAME matches `name`, optionally whose content satisfies `tests`. */
  z.object({
    kind: z.literal('directory'),
    path,
    recursive: z.boolean().default(false),
    name: lineTestSchema.optional(),
    tests: contentTests,
    negate: z.boolean().default(false),
  }),
  /** Mode no more permissive than `maxMode` (octal text, e.g. "0640"), owner / group names. */
  z.object({
    kind: z.literal('file_stat'),
    path,
    maxMode: z
      .string()
      .regex(/^0?[0-7]{3,4}$/)
      .optional(),
    owner: z.string().max(64).optional(),
    group: z.string().max(64).optional(),
    type: z.enum(['file', 'directory', 'symlink']).optional(),
    negate: z.boolean().default(false),
  }),
  /** A running process whose name or command line satisfies the tests. */
  z.object({ kind: z.literal('process'), tests, negate: z.boolean().default(false) }),
  /** Package installed (per the host's package database), optionally with a version bound. */
  z.object({
    kind: z.literal('package'),
    name: z.string().min(1).max(256),
    version: versionCompare.optional(),
    negate: z.boolean().default(false),
  }),
  /** /proc/sys value (key in dotted form, e.g. net.ipv4.ip_forward) satisfies the tests. */
  z.object({
    kind: z.literal('sysctl'),
    key: z.string().min(1).max(256),
    tests,
    negate: z.boolean().default(false),
  }),
  /** systemd unit state. Unset fields are not checked. */
  z.object({
    kind: z.literal('service'),
    name: z.string().min(1).max(256),
    enabled: z.boolean().optional(),
    active: z.boolean().optional(),
    negate: z.boolean().default(false),
  }),
  /** Something listens on port/protocol (optionally on `address`). */
  z.object({
    kind: z.literal('port'),
    port: z.number().int().min(1).max(65535),
    protocol: z.enum(['tcp', 'udp']).default('tcp'),
    address: z.string().max(64).optional(),
    negate: z.boolean().default(false),
  }),
  /** Accounts matching ALL set properties exist (negate: none may exist), minus `except`. */
  z.object({
    kind: z.literal('accounts'),
    uid: z.number().int().min(0).optional(),
    emptyPassword: z.boolean().optional(),
    shell: lineTestSchema.optional(),
    name: lineTestSchema.optional(),
    except: z.array(z.string().max(64)).max(256).default([]),
    negate: z.boolean().default(false),
  }),
  /** Groups matching ALL set properties exist (negate: none may exist), minus `except`. */
  z.object({
    kind: z.literal('groups'),
    gid: z.number().int().min(0).optional(),
    name: lineTestSchema.optional(),
    hasMembers: z.boolean().optional(),
    except: z.array(z.string().max(64)).max(256).default([]),
    negate: z.boolean().default(false),
  }),
  /** Kernel module currently loaded (/proc/modules). */
  z.object({
    kind: z.literal('kernel_module'),
    name: z.string().min(1).max(128),
    negate: z.boolean().default(false),
  }),
  /**
   * Output of a command line (no shell; argv split on whitespace, quotes honoured). Runs only
   * when the agent's local config allows commands (off by default): otherwise the check is
   * not_applicable with reason "commands disabled on this agent".
   */
  z.object({
    kind: z.literal('command'),
    command: z.string().min(1).max(4096),
    tests: contentTests,
    negate: z.boolean().default(false),
  }),
  /** A rule the importer could not translate (e.g. SCA `r:` registry on Linux): check → not_applicable. */
  z.object({ kind: z.literal('unsupported'), source: text, reason: text }),
]);
export type PolicyRule = z.infer<typeof ruleSchema>;

export const severitySchema = z.enum(['info', 'low', 'medium', 'high', 'critical']);

export const checkSchema = z.object({
  id: z.string().min(1).max(128),
  title: z.string().min(1).max(512),
  description: text.optional(),
  rationale: text,
  remediation: text,
  severity: severitySchema.default('medium'),
  /** e.g. { cis: ["5.2.4"], djcp: ["8.1.4.1 a)"] } — djcp = 等保 2.0 / GB/T 22239-2019. */
  compliance: z.record(z.string().max(64), z.array(z.string().max(128)).max(64)).default({}),
  condition: z.enum(['all', 'any', 'none']).default('all'),
  rules: z.array(ruleSchema).min(1).max(POLICY_LIMITS.maxRulesPerCheck),
});
export type PolicyCheck = z.infer<typeof checkSchema>;

export const policyDocumentSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,127}$/, 'policy id: lower-case letters, digits, _ . -'),
  title: z.string().min(1).max(512),
  /** The author's version of the content (free text, e.g. "1.1.0"); the hub numbers revisions. */
  version: z.string().min(1).max(64),
  description: text.optional(),
  /** e.g. ["debian", "ubuntu"] or ["linux"]; matched against the host's os-release ID / ID_LIKE. */
  platforms: z.array(z.string().max(64)).max(32).default(['linux']),
  /** `$name` in any rule string is replaced by the value (a list value expands to several rules). */
  variables: z
    .record(
      z.string().regex(/^\$?[A-Za-z_][A-Za-z0-9_]*$/),
      z.union([z.string().max(4096), z.array(z.string().max(4096)).max(64)]),
    )
    .default({}),
  /** When these rules do not hold, the policy does not apply: every check is not_applicable. */
  requirements: z
    .object({
      title: z.string().max(512).default(''),
      condition: z.enum(['all', 'any', 'none']).default('all'),
      rules: z.array(ruleSchema).min(1).max(POLICY_LIMITS.maxRulesPerCheck),
    })
    .optional(),
  checks: z.array(checkSchema).min(1).max(POLICY_LIMITS.maxChecks),
  /** Configuration-change monitoring: what the agent snapshots and watches. */
  watch: z
    .object({
      /** Files or directories (directories recursively, bounded by the agent's limits). */
      paths: z.array(path).max(POLICY_LIMITS.maxWatchPaths).default([]),
      /** Paths watched in real time (inotify) in addition to the periodic scan. */
      realtime: z.array(path).max(POLICY_LIMITS.maxWatchPaths).default([]),
      /** Paths whose content is only ever hashed (shadow, private keys). Globs with * allowed. */
      secrets: z.array(path).max(POLICY_LIMITS.maxWatchPaths).default([]),
      /** Which host state kinds to snapshot besides files. */
      state: z
        .array(
          z.enum([
            'ports',
            'processes',
            'users',
            'groups',
            'packages',
            'services',
            'cron',
            'sysctl',
            'kernel_modules',
          ]),
        )
        .default([
          'ports',
          'processes',
          'users',
          'groups',
          'packages',
          'services',
          'cron',
          'sysctl',
          'kernel_modules',
        ]),
      /** Seconds between periodic full scans. */
      intervalS: z.number().int().min(60).max(86_400).default(3600),
    })
    .optional(),
  /** Seconds between scheduled evaluations. */
  scheduleS: z
    .number()
    .int()
    .min(300)
    .max(7 * 86_400)
    .default(86_400),
});
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
/** What authors write (defaults not yet applied). */
export type PolicyDocumentInput = z.input<typeof policyDocumentSchema>;

/** Parses a PolicyUpdate document (UTF-8 JSON). Throws a ZodError / SyntaxError on bad input. */
export function parsePolicyDocument(bytes: Uint8Array): PolicyDocument {
  if (bytes.length > POLICY_LIMITS.maxDocumentBytes) throw new RangeError('policy document too large');
  return policyDocumentSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
}
