import { join } from 'node:path';
import { credentialsFile } from 'cloudbase-emulator';
import { ROOT, startLocalCloud } from './local-cloud';
import { startPreview } from './preview/server';

/**
 * `npm start`: the local CloudBase with seed data, timer triggers running on the
 * simulated clock, and the preview of the mini-program's pages, until Ctrl-C. MEMBERLOOP_DB picks the database file (':memory:' for
 * a throwaway run); PORT the gateway port.
 */
async function main(): Promise<void> {
  const dbFile = process.env['MEMBERLOOP_DB'] ?? join(ROOT, '.memberloop', 'db.sqlite');
  const emulator = await startLocalCloud({ dbFile, realTimeScheduler: true });
  const url = emulator.url;
  const preview = await startPreview({ port: Number(process.env['PREVIEW_PORT'] ?? Number(new URL(url).port) + 1), emulatorUrl: url });
  console.log(`MemberLoop local CloudBase is up at ${url}
  preview:   ${preview.url}   (the mini-program's pages in a phone frame; open it in a browser)
  database:  ${dbFile}
  SDK keys:  ${dbFile === ':memory:' ? 'this process only (in-memory database)' : credentialsFile(dbFile)}   (/admin takes signed requests only)
  functions: ${emulator.functionNames().join(', ')}
  triggers:  ${emulator.triggerNames().join(', ') || 'none'}

Try:
  curl -XPOST ${url}/fn/member -H 'content-type: application/json' -H 'x-wx-openid: u1' -d '{"action":"home"}'
  curl -XPOST ${url}/fn/member -H 'content-type: application/json' -H 'x-wx-openid: demo-staff' -d '{"action":"home"}'
  curl ${url}/_emu/clock
  curl -XPOST ${url}/_emu/clock -H 'content-type: application/json' -d '{"advanceMs": 86400000}'
  curl -XPOST ${url}/_emu/reset -H 'content-type: application/json'

Ctrl-C stops it. API: docs/api.md · emulator: packages/cloudbase-emulator/README.md`);
  const stop = async () => {
    await preview.close();
    await emulator.close();
    process.exit(0);
  };
  // Every request answers its own errors; should one still escape, log it and keep serving.
  process.on('unhandledRejection', (err) => console.error('emulator: unhandled rejection', err));
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
