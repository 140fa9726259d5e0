// One measured run of the "feed-import" bench section, in its own process so that peak RSS
// belongs to this run alone: RSS is sampled every 10 ms from the start of the run (getrusage's
// maxRSS would include tsx compiling the sources at start-up). Prints one JSON line:
// {records, ms, rssStart, rssPeak}. Usage: intel-feeds-child.ts parse|import FILE DATA_DIR
import { pino } from 'pino';
import { openStore } from '../../hub/src/db/data-source.js';
import { IntelService, openFeed } from '../../hub/src/intel/index.js';

const [mode, file, dataDir] = process.argv.slice(2);
if (!file || !dataDir || (mode !== 'parse' && mode !== 'import'))
  throw new Error('usage: parse|import FILE DATA_DIR');
const ds = await openStore({ dataDir }, true);
const intel = new IntelService({
  dataSource: ds,
  clock: () => new Date(),
  log: pino({ level: 'silent' }),
  uploadMaxBytes: 1,
});
const rssStart = process.memoryUsage().rss;
let rssPeak = rssStart;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 10);
const t0 = performance.now();
let records = 0;
if (mode === 'parse') {
  for await (const it of (await openFeed(file)).items) if (it.kind !== 'invalid') records++;
} else {
  const imp = await intel.importFile(file);
  records = imp.counts.new + imp.counts.updated + imp.counts.unchanged;
  if (imp.state !== 'succeeded') throw new Error(JSON.stringify(imp.error));
}
const ms = performance.now() - t0;
clearInterval(sampler);
rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
await ds.destroy();
process.stdout.write(`${JSON.stringify({ records, ms, rssStart, rssPeak })}\n`);
