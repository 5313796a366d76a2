import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFunctions } from 'cloudbase-emulator';
import { FUNCTIONS_DIR, FUNCTION_NODE_VERSION, ROOT, bundleFunction } from './local-cloud';

export const DIST = join(ROOT, 'dist');

/** A function as CloudBase deploys it (cloudbaserc.json's shape, and @cloudbase/manager-node's `func`). */
export interface DeployedFunction {
  name: string;
  handler: string;
  runtime: string;
  timeout: number;
  installDependency: boolean;
  triggers?: { name: string; type: string; config: string }[];
}

/** What each function deploys as: its handler, runtime, timeout and triggers (from its config.json). */
export function functionDefinitions(): DeployedFunction[] {
  return readFunctions(FUNCTIONS_DIR).map(({ name, config }) => ({
    name,
    handler: 'index.main',
    runtime: `Nodejs${FUNCTION_NODE_VERSION}`,
    timeout: config.timeout ?? 60,
    installDependency: true,
    ...(config.triggers?.length ? { triggers: config.triggers } : {}),
  }));
}

/**
 * `npm run build`: one deployable folder per cloud function under dist/functions/
 * (bundle + its own package.json pinning wx-server-sdk + config.json), and
 * dist/cloudbaserc.json for `tcb fn deploy`. Nothing here is committed.
 */
export function build(): DeployedFunction[] {
  const out = join(DIST, 'functions');
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const functions = functionDefinitions();
  for (const { name } of functions) {
    const dir = join(out, name);
    bundleFunction(name, join(dir, 'index.js'));
    for (const file of ['package.json', 'config.json']) {
      if (existsSync(join(FUNCTIONS_DIR, name, file))) cpSync(join(FUNCTIONS_DIR, name, file), join(dir, file));
    }
  }
  writeFileSync(
    join(DIST, 'cloudbaserc.json'),
    `${JSON.stringify({ version: '2.0', envId: '{{env.ENV_ID}}', functionRoot: './functions', functions }, null, 2)}\n`,
  );
  return functions;
}

if (require.main === module) {
  const functions = build();
  console.log(`built ${functions.length} function(s) into dist/functions: ${functions.map((f) => f.name).join(', ')}`);
}
