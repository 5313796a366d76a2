import { performance } from 'node:perf_hooks';
import { startLocalCloud } from '../scripts/local-cloud';
import { launchBrowser } from '../scripts/preview/browser';
import { startPreview } from '../scripts/preview/server';

/**
 * How long the preview takes to show the home page with its data, from navigation in
 * Debian's chromium: the first load after `npm start` (the runtime bundled then) and a
 * reload. Prints one JSON line.
 */
async function main(): Promise<void> {
  const emulator = await startLocalCloud({ port: 0, dbFile: ':memory:' });
  const preview = await startPreview({ port: 0, emulatorUrl: emulator.url });
  const browser = await launchBrowser();
  const page = await browser.newPage();
  const load = async () => {
    const started = performance.now();
    await page.goto(`${preview.url}/?openid=bench-preview`);
    await page
      .locator('#screen')
      .getByText(/立即签到|今日已签到/)
      .waitFor();
    return performance.now() - started;
  };
  const first = await load();
  const again = [await load(), await load(), await load()].sort((a, b) => a - b)[1] as number;
  await browser.close();
  await preview.close();
  await emulator.close();
  console.log(JSON.stringify({ firstMs: first, reloadMs: again }));
}

void main();
