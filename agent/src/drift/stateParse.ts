// Pure parts of the non-file state kinds: cron lines, /proc/modules, sysctl key validation.
import { redactCommandLine } from './redact.js';

export const CRON_FILES = ['/etc/crontab'] as const;
export const CRON_DIRS = ['/etc/cron.d', '/var/spool/cron/crontabs'] as const;
const MAX_CRON_LINE = 1024;
const MAX_CRON_LINES_PER_FILE = 2000;

export interface CronLine {
  /** `<file>:<normalised line>` (+ `#n` for repeated identical lines): stable when lines move. */
  key: string;
  file: string;
  line: string;
  lineNo: number;
}

/** Effective lines of a crontab: comments and blank lines dropped, whitespace collapsed. */
export function parseCronLines(file: string, text: string): CronLine[] {
  const out: CronLine[] = [];
  const seen = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && out.length < MAX_CRON_LINES_PER_FILE; i++) {
    // Control characters (a NUL would make the hub refuse the report) and runs of whitespace → one space.
    // Secrets in cron commands (passwords in arguments, URLs) never leave the agent.
    const line = redactCommandLine(
      printable(lines[i] ?? '')
        .replace(/\s+/g, ' ')
        .trim(),
    ).slice(0, MAX_CRON_LINE);
    if (line === '' || line.startsWith('#')) continue;
    const n = (seen.get(line) ?? 0) + 1;
    seen.set(line, n);
    out.push({ key: `${file}:${line}${n > 1 ? `#${n}` : ''}`, file, line, lineNo: i + 1 });
  }
  return out;
}

/** /proc/modules: "name size refcount deps state offset" — only the name is stable state. */
export function parseProcModules(text: string): string[] {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const name = line.split(' ')[0];
    if (name && /^[\w-]+$/.test(name)) names.add(name);
  }
  return [...names].sort();
}

/** Security-relevant kernel parameters snapshotted even when no policy rule names them. */
export const DEFAULT_SYSCTL_KEYS: readonly string[] = [
  'kernel.randomize_va_space',
  'kernel.kptr_restrict',
  'kernel.dmesg_restrict',
  'kernel.yama.ptrace_scope',
  'kernel.sysrq',
  'kernel.unprivileged_bpf_disabled',
  'kernel.kexec_load_disabled',
  'kernel.modules_disabled',
  'fs.suid_dumpable',
  'fs.protected_hardlinks',
  'fs.protected_symlinks',
  'fs.protected_fifos',
  'fs.protected_regular',
  'net.core.bpf_jit_harden',
  'net.ipv4.ip_forward',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.conf.all.accept_redirects',
  'net.ipv4.conf.default.accept_redirects',
  'net.ipv4.conf.all.secure_redirects',
  'net.ipv4.conf.all.send_redirects',
  'net.ipv4.conf.default.send_redirects',
  'net.ipv4.conf.all.accept_source_route',
  'net.ipv4.conf.default.accept_source_route',
  'net.ipv4.conf.all.rp_filter',
  'net.ipv4.conf.all.log_martians',
  'net.ipv4.icmp_echo_ignore_broadcasts',
  'net.ipv4.icmp_ignore_bogus_error_responses',
  'net.ipv6.conf.all.forwarding',
  'net.ipv6.conf.all.accept_ra',
  'net.ipv6.conf.default.accept_ra',
  'net.ipv6.conf.all.accept_redirects',
  'net.ipv6.conf.all.accept_source_route',
  'user.max_user_namespaces',
  'vm.mmap_min_addr',
];

/** The most sysctl keys one snapshot reads (policies' keys first, then the defaults). */
export const MAX_SYSCTL_KEYS = 1024;

/** A dotted key that maps to a file under /proc/sys (no globs, variables or path tricks). */
export function isSysctlKey(key: string): boolean {
  return /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/.test(key) && key.length <= 256;
}

export function sysctlPath(key: string): string {
  return `/proc/sys/${key.replace(/\./g, '/')}`;
}

/** Control characters (NUL included, which the hub refuses in values) become spaces. */
export function printable(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += code < 0x20 || code === 0x7f ? ' ' : ch;
  }
  return out;
}
