// Test peer: a tiny Redis-protocol server that demands AUTH, accepts one password, can answer a
// lockout after N failed AUTHs, and records when each connection (= one attempt) arrived.
import net from 'node:net';

export interface FakeRedisOptions {
  acceptPassword?: string;
  /** After this many failed AUTHs every further AUTH gets a lockout error. */
  lockoutAfter?: number;
}

export interface FakeRedis {
  port: number;
  connectionTimes: number[];
  authCount: () => number;
  openSockets: () => number;
  close: () => Promise<void>;
}

/** Parses complete RESP arrays of bulk strings off the front of `buf`. */
function takeCommands(buf: string): { commands: string[][]; rest: string } {
  const commands: string[][] = [];
  let rest = buf;
  for (;;) {
    const header = /^\*(\d+)\r\n/.exec(rest);
    if (!header?.[1]) break;
    let pos = header[0].length;
    const args: string[] = [];
    let complete = true;
    for (let i = 0; i < Number(header[1]); i += 1) {
      const len = /^\$(\d+)\r\n/.exec(rest.slice(pos));
      if (!len?.[1] || rest.length < pos + len[0].length + Number(len[1]) + 2) {
        complete = false;
        break;
      }
      pos += len[0].length;
      args.push(rest.slice(pos, pos + Number(len[1])));
      pos += Number(len[1]) + 2;
    }
    if (!complete) break;
    commands.push(args);
    rest = rest.slice(pos);
  }
  return { commands, rest };
}

export async function startFakeRedis(opts: FakeRedisOptions): Promise<FakeRedis> {
  const connectionTimes: number[] = [];
  const sockets = new Set<net.Socket>();
  let auths = 0;
  let failures = 0;
  const server = net.createServer((socket) => {
    connectionTimes.push(performance.now());
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let authed = false;
    let buf = '';
    socket.on('data', (chunk) => {
      const parsed = takeCommands(buf + chunk.toString('utf8'));
      buf = parsed.rest;
      for (const [name = '', ...args] of parsed.commands) {
        const command = name.toUpperCase();
        if (command === 'AUTH') {
          auths += 1;
          if (opts.lockoutAfter !== undefined && failures >= opts.lockoutAfter) {
            socket.write('-ERR too many authentication failures, try again later\r\n');
          } else if (args.at(-1) === opts.acceptPassword) {
            authed = true;
            socket.write('+OK\r\n');
          } else {
            failures += 1;
            socket.write('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
          }
        } else if (!authed) {
          socket.write('-NOAUTH Authentication required.\r\n');
        } else if (command === 'INFO') {
          const body = '# Server\r\nredis_version:7.0.99-fake\r\n';
          socket.write(`$${Buffer.byteLength(body)}\r\n${body}\r\n`);
        } else {
          socket.write('+OK\r\n');
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake redis: no port');
  return {
    port: address.port,
    connectionTimes,
    authCount: () => auths,
    openSockets: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A listener that accepts connections and never says anything. */
export async function startSilentListener(): Promise<{
  port: number;
  connections: () => number;
  openSockets: () => number;
  close: () => Promise<void>;
}> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.resume(); // read (and drop) whatever arrives, so the peer's FIN is seen
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('silent listener: no port');
  return {
    port: address.port,
    connections: () => connections,
    openSockets: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
