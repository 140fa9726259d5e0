// HostView for Linux under a root prefix. Reuses the collectors' parsers (passwd/shadow/group,
// dpkg status, /proc/net) so the evaluator and the inventory can never read the host
// differently. Host-wide lists are read once per HostView (one HostView per policy run).
import { execFile } from 'node:child_process';
import { access, constants, lstat, open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Stats } from 'node:fs';
import { readAccounts } from '../../collectors/accounts/linux/read.js';
import { readDpkgPackages } from '../../collectors/dpkg/linux/read.js';
import { DPKG_STATUS_PATH } from '../../collectors/dpkg/spec.js';
import { listPids, mapLimit, readTextOrUndefined } from '../../collectors/linux/procfs.js';
import { parseProcNet } from '../../collectors/listeners/parse.js';
import { PROC_NET_TABLES } from '../../collectors/listeners/spec.js';
import type {
  CommandOutput,
  HostAccounts,
  HostDirEntry,
  HostListener,
  HostPackage,
  HostProcess,
  HostStat,
  HostView,
  ServiceState,
} from '../host.js';
import { parseOsRelease } from './osRelease.js';
import { enabledUnits, readUnitState } from './systemd.js';

export interface LinuxHostOptions {
  /** Prefix every host path is resolved under ('/' in production). */
  root: string;
  commandTimeoutMs: number;
  /** Test hook: active units when root is not '/' (systemctl only answers for the real host). */
  activeUnits?: ReadonlySet<string>;
}

const COMMAND_MAX_OUTPUT = 4 * 1024 * 1024;
const MAX_PROCESSES = 65_536;
const READ_CHUNK = 64 * 1024;

function typeOf(s: Stats): HostStat['type'] {
  if (s.isSymbolicLink()) return 'symlink';
  if (s.isDirectory()) return 'directory';
  if (s.isFile()) return 'file';
  return 'other';
}

function toHostStat(s: Stats): HostStat {
  return { type: typeOf(s), mode: s.mode & 0o7777, uid: s.uid, gid: s.gid, size: s.size };
}

function memo<T>(fn: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => (cached ??= fn());
}

export function createLinuxHost(opts: LinuxHostOptions): HostView {
  const root = opts.root;
  const at = (path: string): string => (root === '/' ? path : join(root, path));
  const realRoot = root === '/';
  const systemdRunning = memo(async () => realRoot && (await exists('/run/systemd/system')));
  const enabled = memo(() => enabledUnits(root));

  return {
    root,
    async readFile(path, maxBytes) {
      const handle = await open(at(path), 'r');
      try {
        const s = await handle.stat();
        if (s.isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR' });
        // /proc and /sys files report size 0 and refuse huge reads (ENOMEM): read in chunks
        // until EOF or the cap instead of trusting st_size.
        const chunks: Buffer[] = [];
        let total = 0;
        while (total < maxBytes) {
          const chunk = Buffer.alloc(Math.min(READ_CHUNK, maxBytes - total));
          const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
          if (bytesRead === 0) break;
          chunks.push(chunk.subarray(0, bytesRead));
          total += bytesRead;
        }
        return Buffer.concat(chunks, total);
      } finally {
        await handle.close();
      }
    },
    lstat: async (path) => toHostStat(await lstat(at(path))),
    stat: async (path) => toHostStat(await stat(at(path))),
    async readdir(path): Promise<HostDirEntry[]> {
      const entries = await readdir(at(path), { withFileTypes: true });
      return entries.map((e) => ({
        name: e.name,
        type: e.isSymbolicLink() ? 'symlink' : e.isDirectory() ? 'directory' : e.isFile() ? 'file' : 'other',
      }));
    },
    processes: memo(async (): Promise<HostProcess[]> => {
      const procRoot = at('/proc');
      let pids: number[];
      try {
        pids = (await listPids(procRoot)).slice(0, MAX_PROCESSES);
      } catch {
        return [];
      }
      const list = await mapLimit(pids, 16, async (pid) => {
        const comm = await readTextOrUndefined(`${procRoot}/${pid}/comm`);
        if (comm === undefined) return undefined; // exited meanwhile
        const cmdline = (await readTextOrUndefined(`${procRoot}/${pid}/cmdline`)) ?? '';
        return { pid, name: comm.trim(), cmdline: cmdline.replace(/\0+$/, '').replace(/\0/g, ' ') };
      });
      return list.filter((p): p is HostProcess => p !== undefined);
    }),
    packages: memo(async (): Promise<HostPackage[] | undefined> => {
      const dpkg = await readDpkgPackages(at(DPKG_STATUS_PATH));
      return dpkg?.map((p) => ({ name: p.name, version: p.version, arch: p.arch }));
    }),
    async sysctl(key) {
      if (!/^[A-Za-z0-9_.\-/]+$/.test(key) || key.split(/[./]/).includes('..')) return undefined;
      const text = await readTextOrUndefined(at(`/proc/sys/${key.replace(/\./g, '/')}`));
      return text?.trim().replace(/\s+/g, ' ');
    },
    async service(unit): Promise<ServiceState> {
      return readUnitState(root, unit, await enabled());
    },
    async serviceActive(unit) {
      if (await systemdRunning()) {
        const out = await runArgv(['systemctl', 'is-active', '--quiet', unit], opts.commandTimeoutMs);
        return out.exitCode === 0;
      }
      if (!realRoot && opts.activeUnits) return opts.activeUnits.has(unit);
      return undefined;
    },
    listeners: memo(async (): Promise<HostListener[]> => {
      const out: HostListener[] = [];
      for (const table of PROC_NET_TABLES) {
        const text = await readTextOrUndefined(at(table.file));
        if (text === undefined) continue;
        for (const s of parseProcNet(text, table.protocol, table.family))
          out.push({ protocol: s.protocol, address: s.address, port: s.port });
      }
      return out;
    }),
    accounts: memo(async (): Promise<HostAccounts> => {
      const etc = at('/etc');
      const [read, shadowReadable] = await Promise.all([
        readAccounts(Infinity, etc),
        access(`${etc}/shadow`, constants.R_OK).then(
          () => true,
          () => false,
        ),
      ]);
      return { accounts: read.accounts ?? [], groups: read.groups ?? [], shadowReadable };
    }),
    kernelModules: memo(async () => {
      const text = await readTextOrUndefined(at('/proc/modules'));
      if (text === undefined) return undefined;
      return new Set(
        text
          .split('\n')
          .map((l) => l.split(' ')[0]?.replace(/-/g, '_') ?? '')
          .filter(Boolean),
      );
    }),
    osRelease: memo(async () => {
      const text =
        (await readTextOrUndefined(at('/etc/os-release'))) ??
        (await readTextOrUndefined(at('/usr/lib/os-release'))) ??
        '';
      return parseOsRelease(text);
    }),
    runCommand: (argv) => runArgv(argv, opts.commandTimeoutMs),
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Runs argv without a shell. Non-zero exit is an answer (grep says "no match" that way). */
function runArgv(argv: string[], timeoutMs: number): Promise<CommandOutput> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new Error('empty command'));
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        timeout: timeoutMs,
        maxBuffer: COMMAND_MAX_OUTPUT,
        encoding: 'utf8',
        env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
      },
      (err, stdout) => {
        if (!err) return resolve({ exitCode: 0, stdout });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
        if (typeof e.code === 'number') return resolve({ exitCode: e.code, stdout });
        if (e.killed || e.signal)
          return reject(Object.assign(new Error('command timed out'), { code: 'ETIMEDOUT' }));
        reject(e);
      },
    );
  });
}
