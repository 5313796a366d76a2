import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { Emulator, type EmulatorOptions, type FunctionConfig, type FunctionDefinition, type GatewayReply, callGateway } from '../src';

/** The package's own test function (probe) and a stand-in project around it. */
const FIXTURES = join(__dirname, 'fixtures', 'functions');
const NODE_MODULES = resolve(__dirname, '..', '..', '..', 'node_modules');

export const TEMPLATE = {
  key: 'orderShipped',
  id: 'local-tmpl-order-shipped',
  title: '发货提醒',
  fields: ['thing1', 'number2', 'thing3'],
};

const made: string[] = [];
/** A test process runs many files; what they made in the temp folder goes when it exits. */
process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
// The runner ends its processes with SIGTERM, whose default skips 'exit' handlers.
process.once('SIGTERM', () => process.exit(143));

/** A new folder in the OS temp folder, removed when this test process exits. */
export function temporaryFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

let fixtures: FunctionDefinition[] | undefined;

/** The fixture functions, bundled once per process. */
function fixtureFunctions(): FunctionDefinition[] {
  if (fixtures) return fixtures;
  const out = temporaryFolder('cloudbase-emulator-fixtures-');
  fixtures = readdirSync(FIXTURES).map((name) => {
    const bundle = join(out, name, 'index.js');
    buildSync({
      entryPoints: [join(FIXTURES, name, 'index.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['wx-server-sdk'],
      logLevel: 'warning',
    });
    const file = join(FIXTURES, name, 'config.json');
    const config = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as FunctionConfig) : {};
    return { name, bundle, config };
  });
  return fixtures;
}

/** An emulator on a free port with an in-memory database, the fixture functions, a template and a seed. */
export function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return Emulator.start({
    port: 0,
    dbFile: ':memory:',
    collections: [{ name: 'probe_firings' }, { name: 'roles' }],
    seed: [
      [
        'roles',
        [
          { _id: 'editor-1', role: 'editor', team: 'team-1' },
          { _id: 'admin-1', role: 'admin' },
        ],
      ],
    ],
    templates: [TEMPLATE],
    pages: ['pages/home/index'],
    functions: fixtureFunctions(),
    modulePaths: [NODE_MODULES],
    ...options,
  });
}

/** POST /fn/<name> as a mini-program user. */
export function callFunction<T = unknown>(emulator: Emulator, name: string, event: unknown, openid?: string): Promise<GatewayReply<T>> {
  return callGateway<T>(emulator.url, name, event, openid);
}

/** Points wx-server-sdk / @cloudbase/node-sdk in this process at the emulator. */
export function useSdkAgainst(emulator: Emulator): void {
  Object.assign(process.env, emulator.sdkEnvironment());
}
