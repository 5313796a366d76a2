#!/usr/bin/env node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { credentialsFile } from './credentials';
import { Emulator, type FunctionDefinition } from './emulator';
import {
  type FunctionFolder,
  readCollections,
  readFunctions,
  readPages,
  readSeed,
  readSeedFiles,
  readStorageRules,
  readTemplates,
} from './files';

const HELP = `Usage: cloudbase-emulator [options]

A local Tencent CloudBase for cloud functions written with the unmodified wx-server-sdk:
the database, functions in worker processes, timer triggers, subscribe messages and
WeChat Pay, served on 127.0.0.1.

Options:
  --functions <dir>     one folder per cloud function, as deployed: its package.json "main",
                        index.js, or index.ts (bundled with esbuild), and its config.json
  --collections <file>  JSON: [{"name", "indexes"?: [{"name", "fields", "unique"?}]}]
  --seed <dir>          <collection>.json files, each an array of documents, loaded into
                        empty collections (and again on POST /_emu/reset)
  --files <dir>         files loaded into cloud storage (their path under <dir> is the
                        cloud path), when missing and again on POST /_emu/reset
  --storage-rules <file>  the storage security rules mini-program requests are held to:
                        {"read", "write"} (default: everyone reads, the creator writes)
  --templates <file>    subscribe-message templates: [{"key", "id", "title", "fields"}]
  --app <file>          the mini-program's app.json: its pages are the only valid
                        \`page\` of a subscribe message
  --db <file>           SQLite database file (default: in memory); the SDK keys are kept
                        beside it in <file>.credentials.json
  --port <n>            port on 127.0.0.1 (default: $PORT, else 8787; 0 picks a free one)
  --env <id>            the environment id (default: local-env)
  --logs <file>         append the functions' console output to this file (default: this
                        terminal)
  -h, --help            this text

Functions load wx-server-sdk from their own folder upwards, else from ./node_modules.
Timer triggers fire as real time passes; POST /_emu/clock {"advanceMs": n} makes time pass.
Every route is described in the package's README.md.`;

const OPTIONS = {
  functions: { type: 'string' },
  collections: { type: 'string' },
  seed: { type: 'string' },
  files: { type: 'string' },
  'storage-rules': { type: 'string' },
  templates: { type: 'string' },
  app: { type: 'string' },
  db: { type: 'string' },
  port: { type: 'string' },
  env: { type: 'string' },
  logs: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: OPTIONS, strict: true, allowPositionals: false });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535))
    throw new Error(`--port ${values.port} is not a port`);
  const folders = values.functions ? readFunctions(resolve(values.functions)) : [];
  const build = new TypeScriptBuild();
  let emulator: Emulator;
  try {
    emulator = await Emulator.start({
      port,
      dbFile: values.db ? resolve(values.db) : ':memory:',
      collections: values.collections ? readCollections(resolve(values.collections)) : [],
      seed: values.seed ? readSeed(resolve(values.seed)) : [],
      files: values.files ? readSeedFiles(resolve(values.files)) : [],
      ...(values['storage-rules'] ? { storageRules: readStorageRules(resolve(values['storage-rules'])) } : {}),
      templates: values.templates ? readTemplates(resolve(values.templates)) : [],
      pages: values.app ? readPages(resolve(values.app)) : [],
      functions: folders.map((f) => build.runnable(f)),
      modulePaths: modulePaths(folders),
      envId: values.env,
      functionLogs: values.logs ? resolve(values.logs) : null,
      realTimeScheduler: true,
    });
  } catch (err) {
    build.remove();
    throw err;
  }
  const dbFile = values.db ? resolve(values.db) : ':memory:';
  console.log(`cloudbase-emulator is up at ${emulator.url}
  functions: ${emulator.functionNames().join(', ') || 'none'}
  triggers:  ${emulator.triggerNames().join(', ') || 'none'}
  database:  ${dbFile}
  SDK keys:  ${dbFile === ':memory:' ? 'this process only (in-memory database)' : credentialsFile(dbFile)}
Ctrl-C stops it.`);
  const stop = async () => {
    await emulator.close();
    build.remove();
    process.exit(0);
  };
  // Every request answers its own errors; should one still escape, log it and keep serving.
  process.on('unhandledRejection', (err) => console.error('cloudbase-emulator: unhandled rejection', err));
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/**
 * Where functions find wx-server-sdk: a function's folder and every folder above it
 * (bundles of TypeScript functions run from elsewhere), then the current one.
 */
function modulePaths(folders: FunctionFolder[]): string[] {
  const paths = new Set<string>();
  for (const { entry } of folders) {
    for (let dir = dirname(entry); ; dir = dirname(dir)) {
      paths.add(join(dir, 'node_modules'));
      if (dirname(dir) === dir) break;
    }
  }
  paths.add(resolve('node_modules'));
  return [...paths];
}

/** Functions written in TypeScript, bundled as the platform would run them (wx-server-sdk left to the runtime), into a folder removed on exit. */
class TypeScriptBuild {
  private dir: string | undefined;

  runnable({ name, entry, config }: FunctionFolder): FunctionDefinition {
    if (!entry.endsWith('.ts')) return { name, bundle: entry, config };
    this.dir ??= mkdtempSync(join(tmpdir(), 'cloudbase-emulator-functions-'));
    const bundle = join(this.dir, name, 'index.js');
    esbuild().buildSync({
      entryPoints: [entry],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['wx-server-sdk'],
      sourcemap: 'inline',
      logLevel: 'warning',
    });
    return { name, bundle, config };
  }

  remove(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

function esbuild(): typeof import('esbuild') {
  try {
    return require('esbuild') as typeof import('esbuild');
  } catch {
    throw new Error(
      'functions written in TypeScript (index.ts) are bundled with esbuild: npm install --save-dev esbuild, or deploy them built (index.js)',
    );
  }
}

main().catch((err: unknown) => {
  console.error(`cloudbase-emulator: ${err instanceof Error ? err.message : String(err)}\nSee cloudbase-emulator --help.`);
  process.exit(1);
});
