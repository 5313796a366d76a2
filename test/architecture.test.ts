import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from '../scripts/local-cloud';

/**
 * The layer rules of docs/architecture.md, read from the code's own imports: a file
 * importing across a forbidden line fails here, not in a review.
 */
interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'miniprogram_npm' || d.name === 'node_modules' ? [] : sources(path);
    return d.name.endsWith('.ts') ? [path] : [];
  });
}

/** Project-relative imports of the files under `dir` (packages are not layers). */
function importsOf(dir: string): Import[] {
  return sources(dir).flatMap((file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    return [...text.matchAll(/^(?:import|export)\s+(type\s+)?[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) => ({
      from: file,
      to: relative(ROOT, resolve(dirname(join(ROOT, file)), m[2] as string)),
      typeOnly: Boolean(m[1]),
    }));
  });
}

/**
 * Every circle a depth-first walk over `edges` meets, one per edge back into the walk's
 * own path, each as that path: a → b → c → a. A graph with any circle, of any length,
 * yields at least one; a graph without yields none.
 */
function circles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const found: string[][] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

/** The graph of `imports` between the places `at` names (a folder, a file); imports within one place are no edge. */
function graphOf(imports: Import[], at: (path: string) => string): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const i of imports) {
    const [from, to] = [at(i.from), at(i.to)];
    if (from === to) continue;
    edges.set(from, (edges.get(from) ?? new Set()).add(to));
  }
  return edges;
}

const withoutTs = (path: string) => path.replace(/\.ts$/, '');
/** The folder of a file, or of an import's target (which names no extension). */
const folderOf = (path: string) => dirname(path);
const show = (found: string[][]) => found.map((c) => c.join(' → '));

const layer = (path: string) => path.split('/')[0] ?? '';
const crossing = (imports: Import[], allowed: (to: string, i: Import) => boolean) =>
  imports.filter((i) => !allowed(layer(i.to), i)).map((i) => `${i.from} → ${i.to}`);

describe('layers', () => {
  it('the scan sees the imports (multi-line and type-only ones too)', () => {
    assert.ok(importsOf('server').length > 100);
    assert.ok(importsOf('typings').some((i) => i.from === 'typings/api.ts' && i.to === 'typings/vocabulary' && i.typeOnly));
    assert.ok(importsOf('miniprogram').some((i) => i.to === 'typings/api' && i.typeOnly));
  });

  it('typings import nothing but typings', () => {
    assert.deepEqual(
      crossing(importsOf('typings'), (to) => to === 'typings'),
      [],
    );
  });

  it('core imports only core and typings', () => {
    assert.deepEqual(
      crossing(importsOf('core'), (to) => to === 'core' || to === 'typings'),
      [],
    );
  });

  it('server imports only server, core and typings — never a cloud function', () => {
    assert.deepEqual(
      crossing(importsOf('server'), (to) => ['server', 'core', 'typings'].includes(to)),
      [],
    );
  });

  it('the mini-program imports only itself, and typings as types', () => {
    assert.deepEqual(
      crossing(importsOf('miniprogram'), (to, i) => to === 'miniprogram' || (to === 'typings' && i.typeOnly)),
      [],
    );
  });

  it('cloud functions are thin: they import server only', () => {
    assert.deepEqual(
      crossing(importsOf('cloudfunctions'), (to) => to === 'server'),
      [],
    );
  });

  it('scripts import only scripts, core (pure rules, e.g. the churn simulation) and typings — never server/', () => {
    assert.ok(importsOf('scripts').some((i) => layer(i.to) === 'core'));
    assert.deepEqual(
      crossing(importsOf('scripts'), (to) => ['scripts', 'core', 'typings'].includes(to)),
      [],
    );
  });

  it('no files import each other in a circle, of any length (typings, core, server)', () => {
    const imports = ['typings', 'core', 'server'].flatMap(importsOf);
    assert.deepEqual(show(circles(graphOf(imports, withoutTs))), []);
  });
});

describe('one posting path', () => {
  it('only server/points/post.ts writes a member’s balances or a ledger line (points or money)', () => {
    const writes = sources('server')
      .filter((f) => f !== 'server/points/post.ts')
      .flatMap((f) =>
        readFileSync(join(ROOT, f), 'utf8')
          .split('\n')
          .map((line, i) => [f, i + 1, line] as const),
      )
      .filter(([, , line]) =>
        /(update|set)\(\{ data: \{[^}]*\b(points|spend):|\[['"](points|spend)['"]\]\s*=|collection\('(ledger|spendLedger)'\)\.(add|doc)/.test(
          line,
        ),
      )
      .map(([f, n]) => `${f}:${n}`);
    assert.deepEqual(writes, []);
  });
});

describe('folders', () => {
  it('the circle finder sees circles of any length, and none where there is none', () => {
    const graph = (...edges: string[]) =>
      graphOf(
        edges.map((e) => ({ from: `${e[0]}/x.ts`, to: `${e[1]}/y`, typeOnly: false })),
        folderOf,
      );
    assert.deepEqual(show(circles(graph('ab', 'bc', 'ca'))), ['a → b → c → a']);
    assert.deepEqual(show(circles(graph('ab', 'ba'))), ['a → b → a']);
    assert.deepEqual(show(circles(graph('ab', 'bc', 'cd', 'de', 'eb', 'ax'))), ['b → c → d → e → b']);
    assert.deepEqual(show(circles(graph('ab', 'bc', 'ac', 'dc'))), []);
  });

  it('no folders of server/ import each other in a circle, of any length', () => {
    const edges = graphOf(importsOf('server'), folderOf);
    assert.ok((edges.get('server/pay')?.size ?? 0) > 3);
    assert.deepEqual(show(circles(edges)), []);
  });

  it('no folders of core/ import each other in a circle, of any length', () => {
    assert.deepEqual(show(circles(graphOf(importsOf('core'), folderOf))), []);
  });

  it('server/platform/ is the floor: it imports no other folder of server/', () => {
    const up = importsOf('server/platform').filter((i) => layer(i.to) === 'server' && folderOf(i.to) !== 'server/platform');
    assert.deepEqual(
      up.map((i) => `${i.from} → ${i.to}`),
      [],
    );
  });

  it('every server file sits in a folder (nothing at the root of server/)', () => {
    assert.deepEqual(
      sources('server').filter((f) => folderOf(f) === 'server'),
      [],
    );
  });

  it('operator actions live in their domain’s ops.ts, or in server/ops/ when they cross domains', () => {
    const elsewhere = sources('server').filter(
      (f) =>
        !f.endsWith('/ops.ts') &&
        !f.startsWith('server/ops/') &&
        !f.startsWith('server/platform/') &&
        readFileSync(join(ROOT, f), 'utf8').includes(`requireRole(ctx, 'operator')`),
    );
    assert.ok(sources('server').filter((f) => f.endsWith('/ops.ts')).length >= 7);
    assert.deepEqual(elsewhere, []);
  });
});

/** A module-level schema built as its module loads (`const x = z.object(…)`), not on first use (`z.lazy(() => …)`). */
const eagerSchemas = (text: string) => [...text.matchAll(/^(?:export )?const (\w+)(?::[^=]+)? = z\s*\.(?!lazy\()/gm)].map((m) => m[1]);

describe('schemas', () => {
  it('the scan sees a schema built at load, and not one built on first use', () => {
    const text = 'const a = z.object({});\nexport const b = z\n  .string();\nconst c = z.lazy(() => z.string());';
    assert.deepEqual(eagerSchemas(text), ['a', 'b']);
  });

  // A fresh instance (a cold start, and locally every outside edit) runs every module's top
  // level: building each schema there cost a member instance ~25 ms and ~6,500 objects.
  it('are built on first use: no module of server/ or core/ builds one as it loads', () => {
    const eager = ['server', 'core'].flatMap((dir) =>
      sources(dir).flatMap((file) => eagerSchemas(readFileSync(join(ROOT, file), 'utf8')).map((name) => `${file}: ${name}`)),
    );
    assert.deepEqual(eager, []);
  });
});

describe('the emulator package', () => {
  it('is reached from the project through its public entry only, as any user reaches it', () => {
    const deep = ['scripts', 'test', 'bench', 'server', 'core', 'cloudfunctions'].flatMap((dir) =>
      sources(dir).flatMap((file) =>
        [...readFileSync(join(ROOT, file), 'utf8').matchAll(/(?:from\s+|require\(|import\()'([^']*)'/g)]
          .map((m) => m[1] as string)
          .filter((spec) => spec.startsWith('cloudbase-emulator/') || spec.includes('packages/cloudbase-emulator'))
          .map((spec) => `${file} → ${spec}`),
      ),
    );
    assert.deepEqual(deep, []);
  });

  it('imports nothing of this project', () => {
    const imports = importsOf('packages/cloudbase-emulator/src');
    assert.ok(imports.length > 20);
    assert.deepEqual(
      imports.filter((i) => !i.to.startsWith('packages/cloudbase-emulator/')).map((i) => `${i.from} → ${i.to}`),
      [],
    );
  });
});
