// Pure parser of /proc/net/{tcp,tcp6,udp,udp6}. Addresses are hex in kernel byte order: IPv4 is
// one little-endian 32-bit word; IPv6 is four 32-bit words, each little-endian. TCP listens in
// state 0A (LISTEN); an unconnected bound UDP socket sits in state 07 (CLOSE) and counts as
// listening (a connected one is 01 and does not).

export interface ProcNetSocket {
  protocol: 'tcp' | 'udp';
  family: 4 | 6;
  address: string;
  port: number;
  inode: number;
  uid: number;
}

const TCP_LISTEN = '0A';
const UDP_UNCONNECTED = '07';

export function parseProcNet(text: string, protocol: 'tcp' | 'udp', family: 4 | 6): ProcNetSocket[] {
  const out: ProcNetSocket[] = [];
  const wanted = protocol === 'tcp' ? TCP_LISTEN : UDP_UNCONNECTED;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    if (f.length < 10 || !f[0]?.endsWith(':')) continue;
    const [local, state, uid, inode] = [f[1], f[3], f[7], f[9]];
    if (!local || state?.toUpperCase() !== wanted) continue;
    const [hexAddr, hexPort] = local.split(':');
    if (!hexAddr || !hexPort) continue;
    const address = family === 4 ? decodeIPv4(hexAddr) : decodeIPv6(hexAddr);
    if (address === undefined) continue;
    out.push({
      protocol,
      family,
      address,
      port: parseInt(hexPort, 16),
      inode: Number(inode),
      uid: Number(uid),
    });
  }
  return out;
}

export function decodeIPv4(hex: string): string | undefined {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return undefined;
  const bytes = wordBytesLE(hex);
  return bytes.join('.');
}

export function decodeIPv6(hex: string): string | undefined {
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) return undefined;
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) bytes.push(...wordBytesLE(hex.slice(w * 8, w * 8 + 8)));
  return formatIPv6(bytes);
}

function wordBytesLE(hex8: string): number[] {
  const b = [0, 2, 4, 6].map((i) => parseInt(hex8.slice(i, i + 2), 16));
  return b.reverse();
}

/** RFC 5952 text form; IPv4-mapped addresses as ::ffff:a.b.c.d. */
export function formatIPv6(bytes: readonly number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes.slice(12, 16).join('.')}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** "socket:[12345]" → 12345 (the target of a /proc/<pid>/fd/<n> link). */
export function socketInode(linkTarget: string): number | undefined {
  const m = /^socket:\[(\d+)\]$/.exec(linkTarget);
  return m?.[1] ? Number(m[1]) : undefined;
}
