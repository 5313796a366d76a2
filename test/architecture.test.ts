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

  it('no two typings files import each other', () => {
    const imports = importsOf('typings').map((i) => [i.from.replace(/\.ts$/, ''), i.to] as const);
    const pairs = imports.filter(([a, b]) => imports.some(([c, d]) => c === b && d === a));
    assert.deepEqual(pairs, []);
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

describe('server folders', () => {
  it('no two folders of server/ import each other', () => {
    const folder = (path: string) => dirname(path.endsWith('.ts') ? path : `${path}.ts`);
    const edges = new Set(
      importsOf('server')
        .map((i) => `${folder(i.from)} ${folder(i.to)}`)
        .filter((e) => e.split(' ')[0] !== e.split(' ')[1]),
    );
    const pairs = [...edges].filter((e) => edges.has(e.split(' ').reverse().join(' ')));
    assert.deepEqual(pairs, []);
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
