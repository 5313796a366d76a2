import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type Credentials, callGateway, credentialsFile, sdkEnvironment } from '../src';
import { temporaryFolder } from './helpers';

/** `cloudbase-emulator` as a user runs it (from the TypeScript source here; `npm run build` makes dist/cli.js of it). */
const CLI = join(__dirname, '..', 'src', 'cli.ts');
const FIXTURES = join(__dirname, 'fixtures', 'functions');

function cli(args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('the cloudbase-emulator command', () => {
  it('--help prints the usage with every option and exits 0', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--help'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Usage: cloudbase-emulator/);
    for (const option of ['--functions', '--collections', '--seed', '--templates', '--app', '--db', '--port', '--env'])
      assert.ok(run.stdout.includes(option), option);
  });

  it('refuses an unknown option or a bad port, exiting 1', () => {
    for (const args of [
      ['--functoins', 'x'],
      ['--port', 'eighty'],
    ]) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8' });
      assert.equal(run.status, 1, args.join(' '));
      assert.match(run.stderr, /cloudbase-emulator: .*\nSee cloudbase-emulator --help/);
    }
  });

  it('serves the functions, collections and seed of files until Ctrl-C, then leaves nothing in the temp folder', async () => {
    const project = temporaryFolder('cloudbase-emulator-cli-');
    writeFileSync(join(project, 'collections.json'), JSON.stringify({ collections: [{ name: 'things' }] }));
    mkdirSync(join(project, 'seed'));
    writeFileSync(join(project, 'seed', 'things.json'), JSON.stringify([{ _id: 'seeded', n: 1 }]));
    const dbFile = join(project, 'db.sqlite');
    // The command's own temp folder (where index.ts functions are bundled) is looked at on exit.
    const temp = temporaryFolder('cloudbase-emulator-cli-tmp-');
    const child = cli(
      [
        '--functions',
        FIXTURES,
        '--collections',
        join(project, 'collections.json'),
        '--seed',
        join(project, 'seed'),
        '--db',
        dbFile,
        '--port',
        '0',
      ],
      { ...process.env, TMPDIR: temp },
    );
    try {
      await servesThenStops(child, dbFile, temp);
    } finally {
      // Should an assertion fail first, the command must not outlive the test.
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

async function servesThenStops(child: ChildProcess, dbFile: string, temp: string): Promise<void> {
  const banner: string[] = [];
  for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
    banner.push(line);
    if (line.startsWith('Ctrl-C')) break;
  }
  const text = banner.join('\n');
  assert.match(text, /functions: probe/);
  assert.match(text, /triggers: +probe\/nightly/);
  const url = /is up at (http:\S+)/.exec(text)?.[1] ?? '';

  const echo = await callGateway<{ openid: string }>(url, 'probe', { do: 'echo' }, 'o-cli');
  assert.equal(echo.body.openid, 'o-cli', 'a TypeScript function runs bundled, as deployed');

  const keys = JSON.parse(readFileSync(credentialsFile(dbFile), 'utf8')) as Credentials;
  Object.assign(process.env, sdkEnvironment(`${url}/admin`, 'local-env', keys));
  const node = require('@cloudbase/node-sdk') as typeof import('@cloudbase/node-sdk');
  const things = node.init({ env: node.SYMBOL_CURRENT_ENV }).database().collection('things');
  assert.deepEqual(((await things.doc('seeded').get()) as { data: unknown[] }).data, [{ _id: 'seeded', n: 1 }]);

  // tsx keeps a cache of its own there; the command's folders are ours to check.
  const ours = () => readdirSync(temp).filter((name) => name.startsWith('cloudbase-emulator-'));
  assert.ok(ours().length > 0, 'the bundles of the TypeScript functions are there while it runs');
  child.kill('SIGINT');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
  assert.deepEqual(ours(), []);
}
