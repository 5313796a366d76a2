import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { ROOT, allPages } from '../local-cloud';
import { iconStylesheet } from './icons';
import { rpxToPx } from './rpx';
import { inlineTemplates } from './templates';

/**
 * The mini-program as miniprogram-simulate reads it in a browser (`window.__FILE_MAP__`:
 * path without extension's leading slash → file text): every page and component of
 * `miniprogram/` with its WXML, WXSS and JSON as they ship, its TypeScript compiled to one
 * CommonJS file, and the tdesign components they use — the same dist files DevTools' npm
 * packing installs, each bundled to CommonJS (they are ES modules) — under
 * `miniprogram_npm/tdesign-miniprogram/`. WXSS `rpx` become px for a screen `width` wide.
 */
const SOURCE = join(ROOT, 'miniprogram');
const TDESIGN = join(ROOT, 'node_modules', 'tdesign-miniprogram', 'miniprogram_dist');
const NPM_PREFIX = 'miniprogram_npm/tdesign-miniprogram/';

export interface MiniprogramFiles {
  files: Record<string, string>;
  /** `app.json`, parsed: pages, subpackages, window, tab bar. */
  app: {
    pages: string[];
    subpackages?: { root: string; name?: string; pages: string[] }[];
    tabBar?: { list: { pagePath: string; text: string; iconPath?: string; selectedIconPath?: string }[] };
  };
}

/** Each script bundled to one CommonJS file, all in one esbuild run: key → JavaScript. */
function bundleAll(scripts: Record<string, string>): Record<string, string> {
  const outdir = join(ROOT, '.preview-out');
  const out = buildSync({
    entryPoints: scripts,
    outdir,
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'neutral',
    target: 'es2020',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  return Object.fromEntries(out.outputFiles.map((f) => [relative(outdir, f.path).replace(/\\/g, '/'), f.text]));
}

const read = (file: string) => readFileSync(file, 'utf8');

/** A page or component the app uses: its key in the file map, its absolute path (no extension), its JSON with paths as the map names them. */
export interface AppComponent {
  key: string;
  abs: string;
  json: Record<string, unknown> & { usingComponents: Record<string, string> };
}

/**
 * Every page of `app.json` — with `subpackages: false`, only the main package's — and every
 * component they use, recursively (tdesign's from its dist), each once.
 */
export function appComponents(options: { subpackages: boolean } = { subpackages: true }): AppComponent[] {
  const app = JSON.parse(read(join(SOURCE, 'app.json'))) as MiniprogramFiles['app'];
  const found = new Map<string, AppComponent>();
  const add = (root: string, base: string, key: string) => {
    if (found.has(key)) return;
    const abs = join(root, base);
    const json = JSON.parse(existsSync(`${abs}.json`) ? read(`${abs}.json`) : '{}') as { usingComponents?: Record<string, string> };
    const using: Record<string, string> = {};
    found.set(key, { key, abs, json: { ...json, usingComponents: using } });
    for (const [tag, target] of Object.entries(json.usingComponents ?? {})) {
      if (target.startsWith('tdesign-miniprogram/')) {
        const sub = target.slice('tdesign-miniprogram/'.length);
        using[tag] = `/${NPM_PREFIX}${sub}`;
        add(TDESIGN, sub, `${NPM_PREFIX}${sub}`);
      } else if (target.startsWith('/')) {
        using[tag] = target;
        add(SOURCE, target.slice(1), target.slice(1));
      } else {
        const resolved = join(dirname(base), target);
        using[tag] = target;
        add(root, resolved, root === TDESIGN ? `${NPM_PREFIX}${resolved}` : resolved);
      }
    }
  };
  for (const page of options.subpackages ? allPages(app) : app.pages) add(SOURCE, page, page);
  return [...found.values()];
}

export function miniprogramFiles(width = 375): MiniprogramFiles {
  const files: Record<string, string> = {};
  const scripts: Record<string, string> = {};
  const app = JSON.parse(read(join(SOURCE, 'app.json'))) as MiniprogramFiles['app'];
  for (const { key, abs, json } of appComponents()) {
    files[`${key}.json`] = JSON.stringify(json);
    if (existsSync(`${abs}.wxml`))
      files[`${key}.wxml`] = mirrorFieldAttributes(inlineWxs(inlineTemplates(read(`${abs}.wxml`), dirname(abs)), dirname(abs)));
    if (existsSync(`${abs}.wxss`)) files[`${key}.wxss`] = rpxToPx(inlineImports(`${abs}.wxss`), width);
    const script = existsSync(`${abs}.ts`) ? `${abs}.ts` : `${abs}.js`;
    if (existsSync(script)) scripts[key] = script;
  }
  Object.assign(files, bundleAll(scripts));
  const icons = `${NPM_PREFIX}icon/icon.wxss`;
  if (files[icons]) files[icons] = iconStylesheet(files[icons], Object.values(files));
  if (existsSync(join(SOURCE, 'app.wxss'))) files['app.wxss'] = rpxToPx(read(join(SOURCE, 'app.wxss')), width);
  return { files, app };
}

/** WXSS with its `@import`s inlined (as the compiler does). */
function inlineImports(file: string): string {
  return read(file).replace(/@import\s+["']([^"']+)["'];?/g, (_, target: string) => {
    const path = target.startsWith('/') ? join(SOURCE, target) : resolve(dirname(file), target);
    return existsSync(path) ? inlineImports(path) : '';
  });
}

/**
 * j-component runs only inline `<wxs>` modules, as plain JavaScript: each `<wxs src>` gets
 * its file's text inline, with WXS's one difference the templates rely on — `x.constructor`
 * is the type's name (`'Array'`, `'Object'`…) — made explicit.
 */
export function inlineWxs(wxml: string, dir: string): string {
  return wxml.replace(/<wxs\s+([^>]*?)src="([^"]+)"([^>]*?)\/?>(\s*<\/wxs>)?/g, (_, before: string, src: string, after: string) => {
    const file = resolve(dir, src);
    if (!existsSync(file)) return '';
    const module = `${before} ${after}`.trim();
    return `<wxs ${module}>${wxsAsJs(read(file))}</wxs>`;
  });
}

export function wxsAsJs(source: string): string {
  const typed = source.replace(/([\w$.[\]]+)\.constructor\b/g, '__wxsType($1)');
  return `function __wxsType(v) { return v == null ? v : Object.prototype.toString.call(v).slice(8, -1); }\n${typed}`;
}

/**
 * j-component renders the built-in form fields (`<input>`, `<picker>`) and `<image>` as
 * bare elements and drops their attributes; the preview's runtime gives them real fields
 * and pictures. So their attributes are mirrored as `data-pv-*` (data attributes do reach
 * the page), from which the runtime sets the real field's placeholder, value and type, the
 * picture's source and fit, and what a button opens (`open-type="chooseAvatar"`).
 */
export function mirrorFieldAttributes(wxml: string): string {
  return wxml.replace(/<(input|textarea|picker|image|button)\b([^>]*?)(\/?)>/g, (_, tag: string, attrs: string, close: string) => {
    const mirrored = [...attrs.matchAll(/\s(placeholder|value|type|maxlength|mode|start|end|fields|disabled|src|open-type)="([^"]*)"/g)]
      .map(([, name, value]) => ` data-pv-${name}="${value}"`)
      .join('');
    return `<${tag}${attrs}${mirrored}${close}>`;
  });
}
