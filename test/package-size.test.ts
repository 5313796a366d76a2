import assert from 'node:assert/strict';
import { mainPackageBytes } from '../scripts/package-size';

describe('the mini-program main package', () => {
  it('stays within 500 KB (WeChat allows 2 MB), measured as DevTools uploads it', () => {
    const { bytes, files } = mainPackageBytes();
    assert.ok(files > 50, `counted ${files} files: the measure must see the pages and tdesign`);
    assert.ok(bytes <= 500 * 1024, `main package is ${(bytes / 1024).toFixed(0)} KB`);
  });
});
