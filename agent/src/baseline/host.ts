// The evaluator's only window on the host. Every path is host-absolute ("/etc/passwd"); the
// implementation resolves it under its root prefix, so golden tests run against a prepared
// directory tree and production runs against "/". Keeping I/O behind this interface is what lets
// the rule engine stay deterministic and testable.
import type { AccountRecord, GroupRecord } from '../collectors/accounts/parse.js';

export interface HostStat {
  type: 'file' | 'directory' | 'symlink' | 'other';
  /** Permission bits incl. setuid/setgid/sticky (mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
}

export interface HostDirEntry {
  name: string;
  type: HostStat['type'];
}

export interface HostProcess {
  pid: number;
  /** /proc/<pid>/comm */
  name: string;
  /** /proc/<pid>/cmdline with NULs as spaces; never put in evidence (may hold secrets). */
  cmdline: string;
}

export interface HostPackage {
  name: string;
  version: string;
  arch: string;
}

export interface HostListener {
  protocol: 'tcp' | 'udp';
  address: string;
  port: number;
}

export interface HostAccounts {
  accounts: AccountRecord[];
  groups: GroupRecord[];
  /** false when /etc/shadow could not be read: empty-password tests cannot be decided. */
  shadowReadable: boolean;
}

export interface ServiceState {
  /** A unit file exists in one of systemd's unit directories. */
  exists: boolean;
  /** Wanted/required by some target (symlink in /etc/systemd/system/*.wants|*.requires). */
  enabled: boolean;
  /** /etc/systemd/system/<unit> is a symlink to /dev/null. */
  masked: boolean;
}

export interface CommandOutput {
  exitCode: number;
  stdout: string;
}

export interface HostView {
  readonly root: string;
  /** Throws the fs error (ENOENT, EACCES, …) unchanged: the engine maps codes to reasons. */
  readFile(path: string, maxBytes: number): Promise<Buffer>;
  /** lstat: symlinks are reported as such. */
  lstat(path: string): Promise<HostStat>;
  stat(path: string): Promise<HostStat>;
  readdir(path: string): Promise<HostDirEntry[]>;
  processes(): Promise<HostProcess[]>;
  /** undefined: no package database on this host. */
  packages(): Promise<HostPackage[] | undefined>;
  /** Value of /proc/sys/<key with dots as slashes>, whitespace-normalized; undefined if absent. */
  sysctl(key: string): Promise<string | undefined>;
  service(unit: string): Promise<ServiceState>;
  /** true/false, or undefined when the active state cannot be known (no running systemd). */
  serviceActive(unit: string): Promise<boolean | undefined>;
  listeners(): Promise<HostListener[]>;
  accounts(): Promise<HostAccounts>;
  /** Loaded module names with '-' as '_'; undefined when /proc/modules is not available. */
  kernelModules(): Promise<Set<string> | undefined>;
  osRelease(): Promise<{ id: string; idLike: string[] }>;
  /** argv without a shell; throws on spawn failure (ENOENT) and timeout. */
  runCommand(argv: string[]): Promise<CommandOutput>;
}
