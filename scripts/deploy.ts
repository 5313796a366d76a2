import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type CloudBase from '@cloudbase/manager-node';
import { DIST, build, functionDefinitions } from './build';
import { LOCAL_FILES, ROOT, loadCollections, loadSeed, loadSeedFiles, loadStorageRules } from './local-cloud';

/**
 * `npm run deploy`: ships the project to a real CloudBase environment with the ecosystem's
 * own tool (@cloudbase/manager-node) — collections, their indexes and security rules from
 * db/collections.json; the storage rules (db/storage.rules.json) and the seed's pictures
 * (db/seed-files/); the functions (built by `npm run build`) with their triggers and
 * dependencies; the seed data as JSON Lines (the console's import format), without the demo
 * roles, its fileIDs naming the environment's own bucket; and the first operator role, for
 * the deployer's OPENID.
 *
 *   npm run deploy -- --dry-run                         the whole plan; no credentials needed
 *   TCB_SECRET_ID=… TCB_SECRET_KEY=… npm run deploy -- --env <envId> --operator <openid>
 *
 * Every step is safe to run again (collections and indexes are created if missing,
 * functions are replaced, seed documents upserted).
 */
interface Step {
  kind: 'collection' | 'index' | 'rule' | 'file' | 'function' | 'trigger' | 'seed' | 'role';
  target: string;
  detail: string;
  run?: (app: CloudBase) => Promise<unknown>;
}

const SEED_FILES = join(ROOT, 'db', 'seed-files');

/** Seed collections that are demo data, not shipped (their real documents are made in production). */
const DEMO_ONLY = new Set(['roles']);

function deployPlan(options: { operator: string | null; seedDir: string }): Step[] {
  const steps: Step[] = [];
  for (const c of loadCollections() as {
    name: string;
    rules?: { read: boolean; write: boolean };
    indexes?: { name: string; fields: string[]; unique?: boolean }[];
  }[]) {
    steps.push({
      kind: 'collection',
      target: c.name,
      detail: 'create if missing',
      run: (app) => app.database.createCollectionIfNotExists(c.name),
    });
    for (const index of c.indexes ?? []) {
      const unique = index.unique === true;
      steps.push({
        kind: 'index',
        target: `${c.name}.${index.name}`,
        detail: `${index.fields.join(', ')}${unique ? ' (unique)' : ''}`,
        run: async (app) => {
          if ((await app.database.checkIndexExists(c.name, index.name)).Exists) return;
          await app.database.updateCollection(c.name, {
            CreateIndexes: [
              {
                IndexName: index.name,
                MgoKeySchema: { MgoIndexKeys: index.fields.map((f) => ({ Name: f, Direction: '1' })), MgoIsUnique: unique },
              },
            ],
          });
        },
      });
    }
    const rules = c.rules ?? { read: false, write: false };
    // Every collection the mini-program does not read directly is server-only (functions use admin rights).
    const permission = !rules.read && !rules.write ? 'ADMINONLY' : 'CUSTOM';
    steps.push({
      kind: 'rule',
      target: c.name,
      detail: permission === 'ADMINONLY' ? 'ADMINONLY' : `CUSTOM ${JSON.stringify(rules)}`,
      run: (app) =>
        app.permission.modifyResourcePermission({
          resourceType: 'collection',
          resource: c.name,
          permission,
          ...(permission === 'CUSTOM' ? { securityRule: JSON.stringify(rules) } : {}),
        }),
    });
  }
  const storageRules = loadStorageRules();
  steps.push({
    kind: 'rule',
    target: 'storage',
    detail: `CUSTOM ${JSON.stringify(storageRules)}`,
    run: (app) => app.storage.setStorageAcl('CUSTOM', { read: storageRules.read ?? false, write: storageRules.write ?? false }),
  });
  for (const [cloudPath] of loadSeedFiles())
    steps.push({
      kind: 'file',
      target: cloudPath,
      detail: `from ${join('db', 'seed-files', cloudPath)}`,
      run: (app) => app.storage.uploadFile({ localPath: join(SEED_FILES, cloudPath), cloudPath }),
    });
  for (const fn of functionDefinitions()) {
    steps.push({
      kind: 'function',
      target: fn.name,
      detail: `${fn.runtime}, ${fn.timeout} s, dependencies installed by the platform`,
      run: (app) => app.functions.createFunction({ func: fn, functionRootPath: join(DIST, 'functions'), force: true }),
    });
    for (const t of fn.triggers ?? []) steps.push({ kind: 'trigger', target: `${fn.name}.${t.name}`, detail: `${t.type} ${t.config}` });
  }
  for (const [collection, docs] of loadSeed()) {
    if (DEMO_ONLY.has(collection)) continue;
    const file = join(options.seedDir, `${collection}.jsonl`);
    steps.push({
      kind: 'seed',
      target: collection,
      detail: `${docs.length} document(s) from ${relative(ROOT, file)}`,
      run: (app) => app.database.import(collection, { FilePath: file, FileType: 'json' }, { StopOnError: true, ConflictMode: 'upsert' }),
    });
  }
  const operator = options.operator ?? '<your OPENID: --operator>';
  const roleFile = join(options.seedDir, 'roles.jsonl');
  steps.push({
    kind: 'role',
    target: operator,
    detail: `operator (roles/${operator}, from ${relative(ROOT, roleFile)})`,
    run: (app) => app.database.import('roles', { FilePath: roleFile, FileType: 'json' }, { StopOnError: true, ConflictMode: 'upsert' }),
  });
  return steps;
}

/**
 * The seed as the console's import reads it: one JSON document per line, its fileIDs naming
 * the files uploaded to `files` (`cloud://<env>.<bucket>/`); roles hold only the deployer's
 * operator role.
 */
export function writeSeedFiles(seedDir: string, operator: string, files: string): void {
  mkdirSync(seedDir, { recursive: true });
  for (const [collection, docs] of loadSeed()) {
    if (DEMO_ONLY.has(collection)) continue;
    const lines = docs.map((d) => JSON.stringify(d).replaceAll(JSON.stringify(LOCAL_FILES).slice(1, -1), files));
    writeFileSync(join(seedDir, `${collection}.jsonl`), `${lines.join('\n')}\n`);
  }
  writeFileSync(join(seedDir, 'roles.jsonl'), `${JSON.stringify({ _id: operator, role: 'operator', name: '运营' })}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'dry-run': { type: 'boolean', default: false }, env: { type: 'string' }, operator: { type: 'string' } },
  });
  const seedDir = join(DIST, 'seed');
  const plan = deployPlan({ operator: values.operator ?? null, seedDir });
  const envId = values.env ?? process.env['ENV_ID'] ?? '<your environment id: --env>';
  console.log(`Deploy plan for ${envId} (${plan.length} steps):`);
  for (const step of plan) console.log(`  ${step.kind.padEnd(10)} ${step.target.padEnd(36)} ${step.detail}`);
  if (values['dry-run']) return;

  const secretId = process.env['TCB_SECRET_ID'] ?? process.env['TENCENTCLOUD_SECRETID'];
  const secretKey = process.env['TCB_SECRET_KEY'] ?? process.env['TENCENTCLOUD_SECRETKEY'];
  if (!values.env && !process.env['ENV_ID']) throw new Error('no environment: pass --env <envId> (or set ENV_ID)');
  if (!values.operator) throw new Error('no operator: pass --operator <your OPENID> (shown by 本地调试 / the console)');
  if (!secretId || !secretKey) throw new Error('no credentials: set TCB_SECRET_ID and TCB_SECRET_KEY (a CAM key with CloudBase rights)');
  build();
  const { default: Manager } = await import('@cloudbase/manager-node');
  const app = new Manager({ secretId, secretKey, envId });
  const bucket = (await app.env.getEnvInfo()).EnvInfo.Storages?.[0]?.Bucket;
  if (!bucket) throw new Error(`environment ${envId} has no cloud storage bucket (open 云存储 in its console once)`);
  writeSeedFiles(seedDir, values.operator, `cloud://${envId}.${bucket}/`);
  for (const step of plan) {
    if (!step.run) continue; // triggers are created with their function
    process.stdout.write(`${step.kind} ${step.target} … `);
    await step.run(app);
    console.log('done');
  }
}

if (require.main === module)
  main().catch((err: unknown) => {
    console.error(`deploy failed: ${(err as Error).message}`);
    process.exit(1);
  });
