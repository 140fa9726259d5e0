// Measures agent → hub ingest throughput against a real hub process: one agent streams N
// TaskProgress messages (as a pipeline probe does) within the in-flight window, and we time
// until the final Ack. Prints figures; asserts nothing.
//   node --import tsx hub/src/testing/bench-ingest.ts [count] [--pg]
import { toLong, watchpost } from '@watchpost/proto';
import { enrollAgent, startHub, TestAgentClient, tempPgDatabase, type TempDatabase } from './index.js';

const count = Number(process.argv[2] ?? 50_000);
const usePg = process.argv.includes('--pg');
let db: TempDatabase | undefined;
if (usePg) db = await tempPgDatabase();
const profDir = process.env['BENCH_CPU_PROF_DIR'];
const hub = await startHub({
  ...(db ? { databaseUrl: db.url } : {}),
  env: { WATCHPOST_LOG_LEVEL: 'warn' },
  ...(profDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] } : {}),
});
try {
  await hub.cli(['tenant', 'create', 'bench']);
  const token = String((await hub.cli(['token', 'create', '--tenant', 'bench']))['token']);
  const api = String((await hub.cli(['apitoken', 'create', '--tenant', 'bench']))['token']);
  const a = await enrollAgent(hub.wsUrl, token);
  const res = await fetch(`${hub.url}/api/v1/agents/${a.agentId}/tasks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'pipeline_probe', params: { count } }),
  });
  const taskId = ((await res.json()) as { id: string }).id;
  const c = await TestAgentClient.connect(hub.wsUrl);
  const welcome = await c.session(a.key, a.agentId);
  const window = welcome.limits?.maxInFlight ?? 1024;
  let acked = 0;
  c.ws.on('message', () => {
    for (const m of c.inbox.splice(0))
      if (m.body === 'ack') acked = Number(m.ack?.upToSeq?.toString() ?? acked);
  });
  const started = process.hrtime.bigint();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (sent < count && sent - acked < window) {
        sent++;
        c.sendSeq(sent, {
          taskProgress: { taskId, state: watchpost.v1.TaskState.TASK_STATE_RUNNING, counter: toLong(sent) },
        });
      }
      if (acked >= count) resolve();
      else setImmediate(pump);
    };
    pump();
  });
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    JSON.stringify({
      store: usePg ? 'postgres' : 'sqlite',
      messages: count,
      seconds: +secs.toFixed(2),
      perSecond: Math.round(count / secs),
    }),
  );
  c.close();
} finally {
  await hub.kill('SIGTERM');
  await db?.drop();
}
