import assert from 'node:assert/strict';
import { code128c } from '../../miniprogram/utils/barcode';

/** JsBarcode's own Code 128 set C encoder (a dev dependency: the reference, not shipped). */
const { default: CODE128C } = require('jsbarcode/bin/barcodes/CODE128/CODE128C.js') as {
  default: new (digits: string, options: object) => { encode(): { data: string } };
};

/** Widths as the run-length of jsbarcode's module string ("1101…": bars are 1s). */
const widthsOf = (modules: string) => modules.match(/1+|0+/g)?.map((run) => run.length) ?? [];

describe('the member code’s barcode (Code 128 set C)', () => {
  it('encodes as JsBarcode does, symbol for symbol — every digit pair, start, checksum and stop', () => {
    // The last string holds every pair 00–99: every data symbol of the table.
    const everyPair = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join('');
    for (const digits of ['4821093755120486', '0000000000000000', '9999999999999999', everyPair]) {
      const reference = new CODE128C(digits, {});
      assert.deepEqual(code128c(digits), widthsOf(reference.encode().data), digits);
    }
  });

  it('every checksum value too: 16-digit codes whose checksums cover 0–102', () => {
    const seen = new Set<number>();
    for (let n = 0; seen.size < 103 && n < 20_000; n++) {
      const digits = String(n * 7919).padStart(16, '0');
      const widths = code128c(digits) ?? [];
      assert.deepEqual(widths, widthsOf(new CODE128C(digits, {}).encode().data), digits);
      const pairs = digits.match(/\d\d/g)?.map(Number) ?? [];
      seen.add(pairs.reduce((sum, v, i) => sum + v * (i + 1), 105) % 103);
    }
    assert.equal(seen.size, 103);
  });

  it('is 11 modules a symbol and starts with a bar; odd or non-digit input has no barcode', () => {
    const widths = code128c('4821093755120486') ?? [];
    // Start, 8 digit pairs, checksum: 10 symbols of 11 modules, then the stop's 13.
    assert.equal(
      widths.reduce((a, b) => a + b, 0),
      10 * 11 + 13,
    );
    assert.equal(widths.length % 2, 1, 'bar … bar');
    for (const bad of ['123', '12a4', '']) assert.equal(code128c(bad), null, bad);
  });
});
