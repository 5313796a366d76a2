import { execSync } from 'node:child_process';
import { callGateway } from 'cloudbase-emulator';
import { startLocalCloud } from '../scripts/local-cloud';

/**
 * A function worker reloaded again and again: every call preceded by an edit from outside
 * the functions (which starts the worker's bundle afresh, #13). Prints one JSON line: the
 * `member` worker's RSS after its first call and after N reloads. Usage: worker-reload <N>.
 */
async function main(reloads: number): Promise<void> {
  const emulator = await startLocalCloud({ port: 0, dbFile: ':memory:', poolSize: 1 });
  const rssKb = () =>
    Number(execSync(`ps -eo rss,args | grep "[w]orker.js" | grep "/member/" | awk '{s+=$1} END {print s}'`).toString().trim());
  await callGateway(emulator.url, 'member', { action: 'home' }, 'o-reload');
  const before = rssKb();
  for (let i = 0; i < reloads; i++) {
    emulator.store.write('stores', `reload-${i}`, { _id: `reload-${i}`, name: 'x' } as never);
    await callGateway(emulator.url, 'member', { action: 'home' }, 'o-reload');
  }
  const after = rssKb();
  await emulator.close();
  console.log(JSON.stringify({ reloads, beforeMb: before / 1024, afterMb: after / 1024 }));
}

void main(Number(process.argv[2] ?? 300));
