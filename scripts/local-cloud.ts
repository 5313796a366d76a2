import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BuildOptions, buildSync } from 'esbuild';
import {
  type CollectionDefinition,
  type Doc,
  Emulator,
  type EmulatorOptions,
  type FunctionDefinition,
  type StorageRules,
  type TemplateDefinition,
  readCollections,
  readFunctions,
  readPages,
  readSeed,
  readSeedFiles,
  readStorageRules,
  readTemplates,
} from 'cloudbase-emulator';

/**
 * This project on the local CloudBase emulator (packages/cloudbase-emulator): its
 * collections, seed documents and subscribe templates from db/, its pages from
 * miniprogram/app.json, and its cloud functions built as they are deployed.
 */
export const ROOT = resolve(__dirname, '..');
export const FUNCTIONS_DIR = join(ROOT, 'cloudfunctions');
const DB_DIR = join(ROOT, 'db');

/**
 * The Node.js version production runs the functions on: CloudBase's `Nodejs20.19` runtime, the
 * newest generally available one — the 22 and 24 runtimes beside it are in public beta and do not
 * install dependencies in the cloud, which is how wx-server-sdk gets there. The deploy names this
 * runtime and the bundles are built for exactly this version; local runs use the same major (Node 20).
 */
export const FUNCTION_NODE_VERSION = '20.19';

/**
 * How one function is bundled as it is deployed: a single CommonJS file with everything but
 * wx-server-sdk, which the platform installs from the function's package.json.
 */
export function bundleOptions(entry: string, outFile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${FUNCTION_NODE_VERSION}`,
    external: ['wx-server-sdk'],
    logLevel: 'warning',
  };
}

export function bundleFunction(name: string, outFile: string, dir = FUNCTIONS_DIR): void {
  buildSync(bundleOptions(join(dir, name, 'index.ts'), outFile));
}

/**
 * Names a folder where this app's functions are bundled already (test/helpers/global-setup.cjs
 * bundles them once for a whole test run, instead of once in every test process).
 */
export const PREBUILT_FUNCTIONS = 'LOCAL_CLOUD_PREBUILT_FUNCTIONS';

const built = new Map<string, FunctionDefinition[]>();
const buildFolders: string[] = [];
// Removed when the process exits (test runners end theirs with SIGTERM: test/helpers/test-process.ts turns that into an exit).
process.once('exit', () => {
  for (const dir of buildFolders) rmSync(dir, { recursive: true, force: true });
});

/**
 * The functions of these folders, bundled into a temporary folder for the emulator —
 * once per process: test files and benchmarks start many emulators from the same code.
 */
export function buildFunctions(dirs: string[] = [FUNCTIONS_DIR]): FunctionDefinition[] {
  const key = dirs.join('\n');
  const done = built.get(key);
  if (done) return done;
  const out = mkdtempSync(join(tmpdir(), 'cloudfunctions-built-'));
  buildFolders.push(out);
  const prebuilt = process.env[PREBUILT_FUNCTIONS];
  const functions = dirs.flatMap((dir) =>
    readFunctions(dir).map(({ name, config }) => {
      if (prebuilt && dir === FUNCTIONS_DIR) return { name, bundle: join(prebuilt, name, 'index.js'), config };
      const bundle = join(out, name, 'index.js');
      bundleFunction(name, bundle, dir);
      return { name, bundle, config };
    }),
  );
  built.set(key, functions);
  return functions;
}

export function loadCollections(): CollectionDefinition[] {
  return readCollections(join(DB_DIR, 'collections.json'));
}

export function loadTemplates(): TemplateDefinition[] {
  return readTemplates(join(DB_DIR, 'templates.json'));
}

/** Seed documents by collection, from db/seed/<collection>.json. */
export function loadSeed(): Map<string, Doc[]> {
  return readSeed(join(DB_DIR, 'seed'));
}

/** Product pictures and other files for cloud storage, from db/seed-files/ (drawn by `npm run images`). */
export function loadSeedFiles(): [string, Buffer][] {
  return readSeedFiles(join(DB_DIR, 'seed-files'));
}

/** The local stack's environment, and the bucket prefix of its fileIDs (the seed's name it; deploy rewrites them). */
export const LOCAL_ENV = 'memberloop-local';
export const LOCAL_FILES = `cloud://${LOCAL_ENV}.${LOCAL_ENV}-1250000000/`;

/** The storage security rules (db/storage.rules.json): what a member may read and write from the mini-program. */
export function loadStorageRules(): StorageRules {
  return readStorageRules(join(DB_DIR, 'storage.rules.json'));
}

/** Page paths of the mini-program (app.json), the only valid `page` of a subscribe message. */
export function loadPages(): string[] {
  const file = join(ROOT, 'miniprogram', 'app.json');
  return existsSync(file) ? readPages(file) : [];
}

/** Every page path of the app: the main package's, then each subpackage's (`<root>/<page>`). */
export { appPages as allPages, type AppPages } from 'cloudbase-emulator';

export interface LocalCloudOptions
  extends Omit<EmulatorOptions, 'collections' | 'seed' | 'files' | 'storageRules' | 'templates' | 'pages' | 'functions' | 'modulePaths'> {
  /** Extra function folders (tests and benchmarks add fixtures). */
  extraFunctionDirs?: string[];
}

/** The emulator with this project's data and functions. */
export function startLocalCloud(options: LocalCloudOptions = {}): Promise<Emulator> {
  const { extraFunctionDirs = [], ...rest } = options;
  return Emulator.start({
    envId: LOCAL_ENV,
    appId: 'wx-memberloop-local',
    ...rest,
    collections: loadCollections(),
    seed: loadSeed(),
    files: loadSeedFiles(),
    storageRules: loadStorageRules(),
    templates: loadTemplates(),
    pages: loadPages(),
    functions: buildFunctions([FUNCTIONS_DIR, ...extraFunctionDirs]),
    modulePaths: [join(ROOT, 'node_modules')],
  });
}
