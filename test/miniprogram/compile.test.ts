import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../scripts/local-cloud';
import { checkTemplates } from '../../scripts/wxml';

describe('WXML/WXSS compile check (WeChat wcc/wcsc)', () => {
  it('every template and style sheet of the mini-program compiles', () => {
    assert.deepEqual(checkTemplates(), []);
  });

  it('reports a broken template and a broken style sheet by file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'memberloop-wxml-'));
    for (const part of ['pages', 'styles']) cpSync(join(ROOT, 'miniprogram', part), join(dir, part), { recursive: true });
    writeFileSync(join(dir, 'pages', 'home', 'index.wxml'), '<view>\n  <text>{{profile.nickname</text>\n</vie>');
    writeFileSync(join(dir, 'pages', 'me', 'index.wxss'), '.me { color: red\n');
    const errors = checkTemplates(dir);
    rmSync(dir, { recursive: true, force: true });
    assert.equal(errors.length, 2);
    assert.match(errors[0] ?? '', /^pages\/home\/index\.wxml/);
    assert.match(errors[1] ?? '', /^pages\/me\/index\.wxss/);
  });
});
