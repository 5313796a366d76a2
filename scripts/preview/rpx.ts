/** `12rpx` → px on a screen `width` px wide (750rpx is the screen): the stylesheets when served, inline styles when drawn. */
export function rpxToPx(css: string, width: number): string {
  return css.replace(/(-?\d*\.?\d+)rpx/g, (_, n: string) => `${+((Number(n) * width) / 750).toFixed(3)}px`);
}
