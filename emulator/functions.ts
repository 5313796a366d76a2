import { buildSync } from 'esbuild';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');
export const FUNCTIONS_DIR = join(ROOT, 'cloudfunctions');

export interface TimerTrigger {
  name: string;
  type: 'timer';
  config: string;
}

export interface FunctionConfig {
  permissions?: { openapi?: string[] };
  triggers?: TimerTrigger[];
  timeout?: number;
}

/** Every folder in cloudfunctions/ with an index.ts is one deployable function. */
export function listFunctions(dir = FUNCTIONS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}

export function readFunctionConfig(name: string, dir = FUNCTIONS_DIR): FunctionConfig {
  const file = join(dir, name, 'config.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as FunctionConfig) : {};
}

/**
 * Bundles one function as it is deployed: a single CommonJS file with everything but
 * wx-server-sdk, which the platform installs from the function's package.json.
 */
export function bundleFunction(name: string, outFile: string, dir = FUNCTIONS_DIR, sourcemap: 'inline' | false = false): void {
  buildSync({
    entryPoints: [join(dir, name, 'index.ts')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node16',
    external: ['wx-server-sdk'],
    sourcemap,
    logLevel: 'warning',
  });
}
