import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { ROOT } from './local-cloud';

/**
 * `npx tsx scripts/tab-icons.ts` draws the tab bar icons (miniprogram/images/tab/*.png,
 * generated — edit here, not there): 81×81 PNGs, grey and the selected blue of app.json,
 * each a simple shape given as "is this point ink?" over the unit square.
 */
type Shape = (x: number, y: number) => boolean;

const inCircle = (cx: number, cy: number, r: number) => (x: number, y: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const inRect = (x0: number, y0: number, x1: number, y1: number) => (x: number, y: number) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((s) => s(x, y));
const minus =
  (a: Shape, b: Shape): Shape =>
  (x, y) =>
    a(x, y) && !b(x, y);

const SHAPES: Record<string, Shape> = {
  home: minus(
    union((x, y) => y >= 0.15 && y <= 0.5 && Math.abs(x - 0.5) <= (y - 0.15) * 1.15, inRect(0.22, 0.45, 0.78, 0.85)),
    inRect(0.42, 0.6, 0.58, 0.85),
  ),
  tasks: union(inRect(0.18, 0.2, 0.82, 0.3), inRect(0.18, 0.45, 0.82, 0.55), inRect(0.18, 0.7, 0.6, 0.8)),
  mall: union(minus(inCircle(0.5, 0.35, 0.17), inCircle(0.5, 0.35, 0.1)), inRect(0.2, 0.38, 0.8, 0.85)),
  me: union(inCircle(0.5, 0.32, 0.16), (x, y) => y >= 0.58 && y <= 0.86 && (x - 0.5) ** 2 / 0.09 + (y - 0.86) ** 2 / 0.08 <= 1),
};

const COLORS = { normal: [0x7a, 0x7e, 0x83], active: [0x00, 0x52, 0xd9] } as const;
const SIZE = 81;

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** RGBA PNG; each pixel's coverage from 4×4 samples, so edges are smooth. */
function png(shape: Shape, [r, g, b]: readonly number[]): Buffer {
  const rows: Buffer[] = [];
  for (let py = 0; py < SIZE; py++) {
    const row = Buffer.alloc(1 + SIZE * 4);
    for (let px = 0; px < SIZE; px++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) if (shape((px + (sx + 0.5) / 4) / SIZE, (py + (sy + 0.5) / 4) / SIZE)) hits++;
      row.set([r!, g!, b!, Math.round((hits / 16) * 255)], 1 + px * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const dir = join(ROOT, 'miniprogram', 'images', 'tab');
mkdirSync(dir, { recursive: true });
for (const [name, shape] of Object.entries(SHAPES)) {
  writeFileSync(join(dir, `${name}.png`), png(shape, COLORS.normal));
  writeFileSync(join(dir, `${name}-active.png`), png(shape, COLORS.active));
}
console.log(`tab icons written to ${dir}`);
