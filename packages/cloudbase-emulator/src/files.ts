import { type Dirent, existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { Doc } from './db/ejson';
import type { CollectionDefinition } from './emulator';
import type { FunctionConfig } from './functions';
import type { TemplateDefinition } from './openapi/subscribe';
import { type StorageRules, compileRule } from './storage-rules';

/** A project's CloudBase setup as files on disk, read into the emulator's options (the `cloudbase-emulator` command reads these). */

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

/** `[{name, indexes?}]`, or `{"collections": [...]}`. */
export function readCollections(file: string): CollectionDefinition[] {
  const json = readJson<CollectionDefinition[] | { collections: CollectionDefinition[] }>(file);
  return Array.isArray(json) ? json : json.collections;
}

/** `[{key, id, title, fields}]`, or `{"templates": [...]}`. */
export function readTemplates(file: string): TemplateDefinition[] {
  const json = readJson<TemplateDefinition[] | { templates: TemplateDefinition[] }>(file);
  return Array.isArray(json) ? json : json.templates;
}

/** Storage security rules as the console takes them, `{ "read", "write" }`; each expression is checked here. */
export function readStorageRules(file: string): StorageRules {
  const rules = readJson<StorageRules>(file);
  for (const right of ['read', 'write'] as const) compileRule(rules[right]);
  return { read: rules.read, write: rules.write };
}

/** Seed documents by collection: `<dir>/<collection>.json`, each an array of documents, in file-name order. */
export function readSeed(dir: string): Map<string, Doc[]> {
  const seed = new Map<string, Doc[]>();
  if (!existsSync(dir)) return seed;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    seed.set(basename(file, '.json'), readJson<Doc[]>(join(dir, file)));
  }
  return seed;
}

/** Files for cloud storage from a folder: each file's path under it (with `/`) is its cloud path. */
export function readSeedFiles(dir: string): [path: string, bytes: Buffer][] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
    .map((file): [string, Buffer] => [relative(dir, file).split(sep).join('/'), readFileSync(file)]);
}

/** The page lists of a mini-program's app.json (WeChat takes `subpackages` or `subPackages`). */
export interface AppPages {
  pages?: string[];
  subpackages?: { root: string; pages: string[] }[];
  subPackages?: { root: string; pages: string[] }[];
}

/** Every page path of the app: the main package's, then each subpackage's (`<root>/<page>`). */
export function appPages(app: AppPages): string[] {
  const sub = (app.subpackages ?? app.subPackages ?? []).flatMap((p) => p.pages.map((page) => `${p.root.replace(/\/$/, '')}/${page}`));
  return [...(app.pages ?? []), ...sub];
}

/** The pages of the app.json at `file`: the only valid `page` of a subscribe message. */
export function readPages(file: string): string[] {
  return appPages(readJson<AppPages>(file));
}

/** A cloud function folder as deployed: its entry file and its config.json. */
export interface FunctionFolder {
  name: string;
  /** `main` of its package.json, else index.js, else index.ts (which must be bundled before it runs). */
  entry: string;
  config: FunctionConfig;
}

/** The function folders of `dir` (each folder holding an entry file is one function), by name. */
export function readFunctions(dir: string): FunctionFolder[] {
  if (!existsSync(dir)) throw new Error(`no functions folder ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(dir, d.name))
    .map((folder) => ({ name: basename(folder), entry: entryOf(folder), config: configOf(folder) }))
    .filter((f): f is FunctionFolder => f.entry !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}

function entryOf(folder: string): string | undefined {
  const manifest = join(folder, 'package.json');
  const main = existsSync(manifest) ? readJson<{ main?: unknown }>(manifest).main : undefined;
  const candidates = [typeof main === 'string' ? main : undefined, 'index.js', 'index.ts'];
  return candidates
    .filter((c): c is string => c !== undefined)
    .map((c) => resolve(folder, c))
    .find((file) => existsSync(file));
}

function configOf(folder: string): FunctionConfig {
  const file = join(folder, 'config.json');
  return existsSync(file) ? readJson<FunctionConfig>(file) : {};
}
