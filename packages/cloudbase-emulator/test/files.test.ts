import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appPages, readCollections, readFunctions, readSeed, readTemplates } from '../src';
import { temporaryFolder } from './helpers';

describe('a project’s setup read from files', () => {
  it('collections and templates: a bare array or wrapped in an object', () => {
    const dir = temporaryFolder('cloudbase-emulator-files-');
    const collections = [{ name: 'things', indexes: [{ name: 'key', fields: ['key'], unique: true }] }];
    writeFileSync(join(dir, 'a.json'), JSON.stringify(collections));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ collections }));
    assert.deepEqual(readCollections(join(dir, 'a.json')), collections);
    assert.deepEqual(readCollections(join(dir, 'b.json')), collections);
    const templates = [{ key: 'shipped', id: 't1', title: '发货提醒', fields: ['thing1'] }];
    writeFileSync(join(dir, 't.json'), JSON.stringify({ templates }));
    assert.deepEqual(readTemplates(join(dir, 't.json')), templates);
    writeFileSync(join(dir, 'bad.json'), '{');
    assert.throws(() => readCollections(join(dir, 'bad.json')), /bad\.json/, 'a broken file is named');
  });

  it('seed: one collection per JSON file, in file-name order', () => {
    const dir = temporaryFolder('cloudbase-emulator-seed-');
    writeFileSync(join(dir, 'zebras.json'), JSON.stringify([{ _id: 'z' }]));
    writeFileSync(join(dir, 'apples.json'), JSON.stringify([{ _id: 'a' }]));
    writeFileSync(join(dir, 'notes.txt'), 'not a collection');
    assert.deepEqual(
      [...readSeed(dir)],
      [
        ['apples', [{ _id: 'a' }]],
        ['zebras', [{ _id: 'z' }]],
      ],
    );
  });

  it('pages: the main package’s, then each subpackage’s, under either spelling WeChat takes', () => {
    assert.deepEqual(appPages({ pages: ['pages/home/index'], subpackages: [{ root: 'shop/', pages: ['list/index'] }] }), [
      'pages/home/index',
      'shop/list/index',
    ]);
    assert.deepEqual(appPages({ pages: [], subPackages: [{ root: 'me', pages: ['card/index'] }] }), ['me/card/index']);
  });

  it('functions: each folder with an entry (package.json main, index.js, index.ts) and its config.json', () => {
    const dir = temporaryFolder('cloudbase-emulator-fns-');
    const folder = (name: string, files: Record<string, string>) => {
      mkdirSync(join(dir, name));
      for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, name, file), text);
    };
    folder('built', { 'package.json': '{"main": "lib/main.js"}', 'index.js': '' });
    mkdirSync(join(dir, 'built', 'lib'));
    writeFileSync(join(dir, 'built', 'lib', 'main.js'), '');
    folder('plain', { 'index.js': '', 'config.json': '{"timeout": 5}' });
    folder('typed', { 'index.ts': '' });
    folder('empty', { 'README.md': '' });
    assert.deepEqual(readFunctions(dir), [
      { name: 'built', entry: join(dir, 'built', 'lib', 'main.js'), config: {} },
      { name: 'plain', entry: join(dir, 'plain', 'index.js'), config: { timeout: 5 } },
      { name: 'typed', entry: join(dir, 'typed', 'index.ts'), config: {} },
    ]);
  });
});
