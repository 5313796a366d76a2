import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functionDefinitions } from '../scripts/build';
import { writeSeedFiles } from '../scripts/deploy';
import { ROOT, bundleOptions, loadCollections } from '../scripts/local-cloud';

/** `npm run deploy` as npm runs it here (with .npmrc's node-options), but with only the environment given. */
const deploy = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, ['--conditions=cloudbase-emulator-source', '--import', 'tsx', 'scripts/deploy.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env },
  });

describe('npm run deploy', () => {
  it('--dry-run prints every collection, index, security rule, function and trigger, and the operator role, without credentials', () => {
    const run = deploy(['--dry-run', '--env', 'memberloop-prod', '--operator', 'oPERATOR123']);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.split('\n');
    const has = (kind: string, target: string) => lines.some((l) => new RegExp(`^\\s+${kind}\\s+${target.replace('.', '\\.')}\\s`).test(l));
    for (const c of loadCollections() as { name: string; indexes?: { name: string }[] }[]) {
      assert.ok(has('collection', c.name), c.name);
      assert.ok(has('rule', c.name), `rule ${c.name}`);
      for (const i of c.indexes ?? []) assert.ok(has('index', `${c.name}.${i.name}`), `${c.name}.${i.name}`);
    }
    for (const fn of functionDefinitions()) {
      assert.ok(has('function', fn.name), fn.name);
      for (const t of fn.triggers ?? []) assert.ok(has('trigger', `${fn.name}.${t.name}`), t.name);
    }
    assert.ok(
      functionDefinitions().some((f) => f.triggers?.length),
      'the timer’s trigger is among them',
    );
    assert.ok(has('rule', 'storage'), 'the storage rules');
    assert.ok(has('file', 'items/thermos-cup-1.png'), 'the seed’s pictures');
    assert.ok(has('role', 'oPERATOR123'));
    assert.ok(!lines.some((l) => /^\s+seed\s+roles\s/.test(l)), 'the demo roles are not shipped');
    assert.match(run.stdout, /^Deploy plan for memberloop-prod/);
    assert.doesNotMatch(run.stdout, new RegExp(ROOT.replace(/[/\\]/g, '.')), 'no machine paths in the plan');
  });

  it('functions deploy on the Node.js major local runs require, and are bundled for exactly the runtime the plan deploys', () => {
    const run = deploy(['--dry-run']);
    assert.equal(run.status, 0, run.stderr);
    const runtimes = new Set(
      run.stdout
        .split('\n')
        .filter((l) => /^\s+function\s/.test(l))
        .map((l) => l.match(/\s(Nodejs\S+),/)?.[1]),
    );
    assert.equal(runtimes.size, 1, `one runtime for every function: ${[...runtimes].join(', ')}`);
    const [version] = [...runtimes].map((r) => r?.match(/^Nodejs(\d+\.\d+)$/)?.[1]);
    assert.ok(version, `a CloudBase Node.js runtime: ${[...runtimes][0]}`);
    const { engines } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const localMajor = engines.node.match(/\d+/)?.[0];
    assert.equal(version.split('.')[0], localMajor, 'production runs the Node major the project is built and tested on');
    assert.equal(bundleOptions(join(ROOT, 'cloudfunctions', 'member', 'index.ts'), join(tmpdir(), 'member.js')).target, `node${version}`);
  });

  it('a real deploy needs the environment, the operator and credentials — refused before anything is touched', () => {
    const noOperator = deploy(['--env', 'memberloop-prod']);
    assert.equal(noOperator.status, 1);
    assert.match(noOperator.stderr, /no operator/);
    const noKeys = deploy(['--env', 'memberloop-prod', '--operator', 'oPERATOR123']);
    assert.equal(noKeys.status, 1);
    assert.match(noKeys.stderr, /no credentials/);
  });

  it('the seed goes out as JSON Lines, one document a line, its pictures in the environment’s bucket, with only the deployer as operator', () => {
    const dir = mkdtempSync(join(tmpdir(), 'memberloop-seed-'));
    try {
      writeSeedFiles(dir, 'oPERATOR123', 'cloud://memberloop-prod.6d65-memberloop-prod-1300000000/');
      const items = readFileSync(join(dir, 'mallItems.jsonl'), 'utf8');
      assert.match(items, /"cloud:\/\/memberloop-prod\.6d65-memberloop-prod-1300000000\/items\/thermos-cup-1\.png"/);
      assert.doesNotMatch(items, /memberloop-local/, 'no fileID names the local bucket');
      const tasks = readFileSync(join(dir, 'tasks.jsonl'), 'utf8').trim().split('\n');
      assert.ok(tasks.length > 0);
      for (const line of tasks) assert.equal(typeof (JSON.parse(line) as { _id: string })._id, 'string');
      assert.deepEqual(
        readFileSync(join(dir, 'roles.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l)),
        [{ _id: 'oPERATOR123', role: 'operator', name: '运营' }],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
