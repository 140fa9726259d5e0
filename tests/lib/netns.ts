// Throwaway test hosts in network namespaces (root only). Each host is a namespace joined to the
// root namespace by its own veth pair on a /30 link in 198.18.0.0/15 (RFC 2544, reserved for
// benchmarking and never routed): traffic to a lab address can only reach that namespace. Tests
// scan these addresses and nothing else; `destroy()` removes every namespace and link it made.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';

const run = promisify(execFile);
const ip = (...args: string[]) => run('ip', args);

export interface LabHost {
  name: string;
  /** Address of the host inside its namespace. */
  address: string;
  /** Address of the root-namespace end of its link. */
  gateway: string;
  mac: string;
  /** Runs a command inside the host's namespace. */
  exec(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string }>;
}

export interface Lab {
  hosts: LabHost[];
  /** CIDRs covering every lab host (for an agent's scope). */
  scope: string[];
  destroy(): Promise<void>;
}

/** Why a lab cannot be built here, or undefined when it can. */
export async function labUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  try {
    await run('ip', ['netns', 'list']);
  } catch (err) {
    return `iproute2 unusable: ${String(err)}`;
  }
  return undefined;
}

/**
 * Creates `count` hosts (≤ 60). Link i uses 198.18.<base>.<4i>/30: .4i+1 in the root namespace,
 * .4i+2 in the host. MACs are locally administered and fixed per host, or given.
 */
export async function createLab(count: number, opts: { macs?: string[] } = {}): Promise<Lab> {
  if (count < 1 || count > 60) throw new Error('a lab has 1..60 hosts');
  const tag = randomBytes(3).toString('hex');
  const third = randomBytes(1)[0]! % 200;
  const made: string[] = [];
  const hosts: LabHost[] = [];
  const destroy = async () => {
    for (const ns of made.reverse()) await ip('netns', 'del', ns).catch(() => undefined);
  };
  try {
    for (let i = 0; i < count; i++) {
      const ns = `wp-${tag}-${i}`;
      const rootIf = `wpr${tag}${i}`.slice(0, 15);
      const hostIf = `wph${tag}${i}`.slice(0, 15);
      const gateway = `198.18.${third}.${4 * i + 1}`;
      const address = `198.18.${third}.${4 * i + 2}`;
      const mac =
        opts.macs?.[i] ??
        `02:57:50:${tag.slice(0, 2)}:${tag.slice(2, 4)}:${(i + 16).toString(16).padStart(2, '0')}`;
      await ip('netns', 'add', ns);
      made.push(ns);
      await ip('link', 'add', rootIf, 'type', 'veth', 'peer', 'name', hostIf);
      await ip('link', 'set', hostIf, 'netns', ns);
      await ip('-n', ns, 'link', 'set', hostIf, 'address', mac);
      await ip('-n', ns, 'addr', 'add', `${address}/30`, 'dev', hostIf);
      await ip('-n', ns, 'link', 'set', hostIf, 'up');
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      await ip('addr', 'add', `${gateway}/30`, 'dev', rootIf);
      await ip('link', 'set', rootIf, 'up');
      hosts.push({
        name: ns,
        address,
        gateway,
        mac,
        exec: (cmd, args) => run('ip', ['netns', 'exec', ns, cmd, ...args]),
      });
    }
  } catch (err) {
    await destroy();
    throw err;
  }
  // Deleting a namespace deletes its veth end, and with it the root end.
  return { hosts, scope: [`198.18.${third}.0/24`], destroy };
}
