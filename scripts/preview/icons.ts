import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../local-cloud';

/**
 * tdesign's `t-icon` draws with an icon font from tdesign's CDN, which DevTools and phones
 * reach and this machine does not. The preview draws the same icons from their SVGs
 * (tdesign-icons-svg, the icon set's own source): each `.t-icon-<name>:before` becomes a
 * mask of the SVG in the current colour, for every icon name the app's files mention —
 * the pages' `name="…"` and the components' own (a cell's chevron, a toast's check).
 */
const SVGS = join(ROOT, 'node_modules', 'tdesign-icons-svg', 'src');
let names: Set<string> | undefined;
const known = () => {
  names ??= new Set(readdirSync(SVGS).flatMap((f) => (f.endsWith('.svg') ? [f.slice(0, -4)] : [])));
  return names;
};

/** An icon's SVG as a CSS mask: its `view-box` made `viewBox`, its strokes and fills opaque. */
function mask(name: string): string {
  const svg = readFileSync(join(SVGS, `${name}.svg`), 'utf8')
    .replace(/view-box=/g, 'viewBox=')
    .replace(/currentColor/g, '#000');
  return `url("data:image/svg+xml,${encodeURIComponent(svg)}")`;
}

/** t-icon's stylesheet without the unreachable font: the mentioned icons as SVG masks. */
export function iconStylesheet(css: string, sources: Iterable<string>): string {
  const used = new Set<string>();
  for (const text of sources)
    for (const [, name] of text.matchAll(/['"]([a-z][a-z0-9-]*)['"]/g)) if (name && known().has(name)) used.add(name);
  const rules = [...used].map((name) => {
    const m = mask(name);
    return `.t-icon-${name}:before{content:'';display:inline-block;width:1em;height:1em;vertical-align:-0.125em;background-color:currentColor;-webkit-mask:${m} center/100% 100% no-repeat;mask:${m} center/100% 100% no-repeat;}`;
  });
  return `${css.replace(/@font-face\{[^}]*\}/, '').replace(/\.t-icon-[a-z0-9-]+:before\{content:'\\[0-9A-F]+';\}/g, '')}\n${rules.join('\n')}`;
}
