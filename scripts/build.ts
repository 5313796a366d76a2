import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTIONS_DIR, ROOT, bundleFunction, listFunctions, readFunctionConfig } from './local-cloud';

/**
 * `npm run build`: one deployable folder per cloud function under dist/functions/
 * (bundle + its own package.json pinning wx-server-sdk + config.json), and
 * dist/cloudbaserc.json for `tcb fn deploy`. Nothing here is committed.
 */
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'functions');
rmSync(DIST, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const functions = listFunctions().map((name) => {
  const dir = join(OUT, name);
  bundleFunction(name, join(dir, 'index.js'));
  for (const file of ['package.json', 'config.json']) {
    if (existsSync(join(FUNCTIONS_DIR, name, file))) cpSync(join(FUNCTIONS_DIR, name, file), join(dir, file));
  }
  const config = readFunctionConfig(name);
  return {
    name,
    handler: 'index.main',
    runtime: 'Nodejs16.13',
    timeout: config.timeout ?? 60,
    installDependency: true,
    ...(config.triggers?.length ? { triggers: config.triggers } : {}),
  };
});

writeFileSync(
  join(DIST, 'cloudbaserc.json'),
  `${JSON.stringify({ version: '2.0', envId: '{{env.ENV_ID}}', functionRoot: './functions', functions }, null, 2)}\n`,
);
console.log(`built ${functions.length} function(s) into dist/functions: ${functions.map((f) => f.name).join(', ')}`);
