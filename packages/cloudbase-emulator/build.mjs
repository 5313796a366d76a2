import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/**
 * `npm run build`, JavaScript half: every module of src/ transpiled to CommonJS in dist/
 * (the function worker included, so it is never built at run time); `tsc -p
 * tsconfig.build.json` then writes the declarations beside them.
 */
const root = dirname(fileURLToPath(import.meta.url));
rmSync(join(root, 'dist'), { recursive: true, force: true });
const entryPoints = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => join(root, 'src', file));
buildSync({
  entryPoints,
  outdir: join(root, 'dist'),
  outbase: join(root, 'src'),
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});
chmodSync(join(root, 'dist', 'cli.js'), 0o755);
