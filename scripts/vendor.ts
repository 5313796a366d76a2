import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { transformSync } from 'esbuild';
import { ROOT } from './local-cloud';

/**
 * Libraries the mini-program loads from a subpackage rather than the main package's
 * miniprogram_npm (which every member downloads): copied from node_modules on install, as
 * the library's own guide for native mini-programs says (uCharts: copy u-charts.js), as
 * CommonJS (the module format mini-programs load), with a declaration for TypeScript. The
 * copies are not committed.
 */
const VENDORED: { from: string; to: string; declaration: string }[] = [
  {
    from: 'node_modules/@qiun/ucharts/u-charts.min.js',
    to: 'miniprogram/ops/vendor/u-charts.js',
    declaration: `/** uCharts, as the operations center uses it (https://www.ucharts.cn). */
export interface UChartsOptions {
  type: 'line' | 'area' | 'column' | 'bar' | 'pie' | 'ring' | 'funnel';
  context: unknown;
  width: number;
  height: number;
  pixelRatio?: number;
  categories?: string[];
  series: { name: string; data: unknown[] }[];
  animation?: boolean;
  background?: string;
  padding?: number[];
  legend?: Record<string, unknown>;
  xAxis?: Record<string, unknown>;
  yAxis?: Record<string, unknown>;
  extra?: Record<string, unknown>;
  color?: string[];
}
export default class UCharts {
  constructor(options: UChartsOptions);
  updateData(data: Partial<UChartsOptions>): void;
}
`,
  },
];

export function vendor(): void {
  for (const { from, to, declaration } of VENDORED) {
    const target = join(ROOT, to);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, transformSync(readFileSync(join(ROOT, from), 'utf8'), { format: 'cjs', target: 'es2018', minify: true }).code);
    writeFileSync(target.replace(/\.js$/, '.d.ts'), declaration);
  }
}

if (require.main === module) vendor();
