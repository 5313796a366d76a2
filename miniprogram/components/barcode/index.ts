import { code128c } from '../../utils/barcode';

/**
 * A till code as a Code 128 barcode, for scanners that read barcodes only: `value` (an
 * even number of digits) drawn as bars 4rpx a module; nothing for any other value.
 */
Component({
  properties: {
    value: { type: String, value: '' },
  },
  data: { bars: [] as number[] },
  observers: {
    value(value: string) {
      this.setData({ bars: code128c(value) ?? [] });
    },
  },
});
