import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { createLab, labUnavailable } from '../lib/netns.js';

const run = promisify(execFile);

function greeting(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port, timeout: 5000 });
    let data = '';
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => (data += d));
    sock.on('end', () => resolve(data));
    sock.on('timeout', () => sock.destroy(new Error('timeout')));
    sock.on('error', reject);
  });
}

test('lab hosts are reachable on their own link, have their MACs, and disappear afterwards', async (t) => {
  const why = await labUnavailable();
  if (why) return t.skip(why);
  const lab = await createLab(2);
  try {
    const [a, b] = lab.hosts;
    assert.ok(a && b);
    assert.notEqual(a.mac, b.mac);
    const { stdout } = await a.exec('ip', ['-br', 'link']);
    assert.ok(stdout.toLowerCase().includes(a.mac), stdout);
    // A listener inside host a's namespace answers from the root namespace.
    const server = spawn(
      'ip',
      [
        'netns',
        'exec',
        a.name,
        process.execPath,
        '-e',
        `require('net').createServer(s => s.end('hello from ${a.name}')).listen(7, '${a.address}', () => console.log('up'))`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => server.stdout.once('data', () => resolve()));
      assert.equal(await greeting(a.address, 7), `hello from ${a.name}`);
      await assert.rejects(greeting(b.address, 7), 'nothing listens in host b');
    } finally {
      server.kill();
    }
  } finally {
    await lab.destroy();
  }
  const { stdout } = await run('ip', ['netns', 'list']);
  for (const h of lab.hosts) assert.ok(!stdout.includes(h.name), `${h.name} removed`);
});
