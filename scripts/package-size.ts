import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { ROOT } from './local-cloud';
import { appComponents } from './preview/files';

/**
 * What the mini-program's main package uploads, as DevTools builds it: every page of the
 * main package (subpackages download when first opened) and every component they use (WXML, WXSS, JSON, WXS) with the scripts they load (each file
 * once — our TypeScript compiles file by file, tdesign's dist files are uploaded as they
 * are), and the images under `miniprogram/images`. Bytes on disk.
 */
export function mainPackageBytes(): { bytes: number; files: number } {
  const counted = new Set<string>();
  const count = (file: string) => {
    if (existsSync(file)) counted.add(file);
  };
  for (const { abs } of appComponents({ subpackages: false })) {
    for (const ext of ['json', 'wxml', 'wxss']) count(`${abs}.${ext}`);
    if (existsSync(`${abs}.wxml`))
      for (const m of readFileSync(`${abs}.wxml`, 'utf8').matchAll(/<wxs[^>]*\ssrc="([^"]+)"/g))
        count(resolve(dirname(abs), m[1] as string));
    const script = existsSync(`${abs}.ts`) ? `${abs}.ts` : `${abs}.js`;
    if (!existsSync(script)) continue;
    const { metafile } = buildSync({
      entryPoints: [script],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'neutral',
      mainFields: ['module', 'main'],
      logLevel: 'silent',
    });
    for (const input of Object.keys(metafile.inputs)) count(join(ROOT, input));
  }
  const images = join(ROOT, 'miniprogram', 'images');
  if (existsSync(images)) for (const file of filesUnder(images)) count(file);
  count(join(ROOT, 'miniprogram', 'app.json'));
  count(join(ROOT, 'miniprogram', 'app.wxss'));
  count(join(ROOT, 'miniprogram', 'app.ts'));
  let bytes = 0;
  for (const file of counted) bytes += statSync(file).size;
  return { bytes, files: counted.size };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)]));
}

if (require.main === module) {
  const { bytes, files } = mainPackageBytes();
  console.log(`main package: ${(bytes / 1024).toFixed(0)} KB in ${files} files (limit 500 KB; WeChat's is 2 MB)`);
}
