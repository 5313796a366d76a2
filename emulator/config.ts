import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Doc } from './db/ejson';
import type { IndexSpec } from './db/store';
import { ROOT } from './functions';
import type { TemplateDefinition } from './openapi/subscribe';

/** The db/ files: collections with indexes, templates, seed documents. */
export interface CollectionSpec {
  name: string;
  indexes: IndexSpec[];
  rules: Record<string, unknown>;
}

const DB_DIR = join(ROOT, 'db');

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

export function loadCollections(): CollectionSpec[] {
  return readJson<{ collections: CollectionSpec[] }>(join(DB_DIR, 'collections.json')).collections;
}

export function loadTemplates(): TemplateDefinition[] {
  return readJson<{ templates: TemplateDefinition[] }>(join(DB_DIR, 'templates.json')).templates;
}

/** Seed documents by collection, from db/seed/<collection>.json. */
export function loadSeed(): Map<string, Doc[]> {
  const dir = join(DB_DIR, 'seed');
  const seed = new Map<string, Doc[]>();
  if (!existsSync(dir)) return seed;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    seed.set(basename(file, '.json'), readJson<Doc[]>(join(dir, file)));
  }
  return seed;
}

/** Page paths of the mini-program (app.json), the only valid `page` of a subscribe message. */
export function loadPages(): string[] {
  const file = join(ROOT, 'miniprogram', 'app.json');
  if (!existsSync(file)) return [];
  const app = readJson<{ pages?: string[]; subpackages?: { root: string; pages: string[] }[] }>(file);
  const sub = (app.subpackages ?? []).flatMap((p) => p.pages.map((page) => `${p.root.replace(/\/$/, '')}/${page}`));
  return [...(app.pages ?? []), ...sub];
}
