import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './local-cloud';
import { launchBrowser } from './preview/browser';

/**
 * Draws the seed's product pictures (`npm run images`): each an HTML/CSS illustration
 * photographed by Debian's chromium into `db/seed-files/items/<name>.png` — pictures the
 * project makes itself and may ship. The seed loads them into cloud storage
 * (`db/seed-files/` → `items/<name>.png`). Run again after changing a drawing; the PNGs are
 * committed, so `npm start` needs no browser.
 */
const SIZE = 480;
const OUT = join(ROOT, 'db', 'seed-files', 'items');

const frame = (background: string, body: string) => `<!doctype html><html><head><meta charset="utf-8"><style>
  * { box-sizing: border-box; margin: 0; }
  body { width: ${SIZE}px; height: ${SIZE}px; background: ${background}; font-family: 'Noto Sans CJK SC', sans-serif;
         display: flex; align-items: center; justify-content: center; overflow: hidden; position: relative; }
  .shadow { position: absolute; bottom: 70px; left: 50%; transform: translateX(-50%); width: 220px; height: 26px;
            border-radius: 50%; background: rgba(0,0,0,.14); filter: blur(6px); }
</style></head><body>${body}</body></html>`;

/** A thermos: a tall steel body, a cap, a highlight; `engraved` adds the brand on the body (the second picture). */
const thermos = (engraved: boolean) =>
  frame(
    'linear-gradient(160deg, #e8f1ff 0%, #f7fbff 60%, #dfe9f7 100%)',
    `<div class="shadow"></div>
     <div style="position:relative;width:150px;height:340px;margin-top:-10px">
       <div style="position:absolute;top:0;left:25px;width:100px;height:60px;border-radius:18px 18px 6px 6px;background:linear-gradient(90deg,#1f2937,#4b5563 45%,#111827)"></div>
       <div style="position:absolute;top:58px;left:20px;width:110px;height:14px;border-radius:4px;background:#9ca3af"></div>
       <div style="position:absolute;top:70px;left:0;width:150px;height:270px;border-radius:26px 26px 40px 40px;background:linear-gradient(90deg,#3b82f6,#93c5fd 38%,#2563eb 70%,#1e3a8a)"></div>
       <div style="position:absolute;top:90px;left:28px;width:16px;height:220px;border-radius:8px;background:rgba(255,255,255,.45)"></div>
       ${engraved ? '<div style="position:absolute;top:180px;left:0;width:150px;text-align:center;color:rgba(255,255,255,.9);font-weight:700;font-size:20px;letter-spacing:1px">MemberLoop</div><div style="position:absolute;top:212px;left:0;width:150px;text-align:center;white-space:nowrap;color:rgba(255,255,255,.8);font-size:14px">500ml · 12小时保温</div>' : ''}
     </div>`,
  );

const mug = frame(
  'linear-gradient(160deg, #fff4e6 0%, #fffaf3 55%, #ffe8cc 100%)',
  `<div class="shadow" style="width:260px"></div>
   <div style="position:relative;width:260px;height:240px;margin-top:20px">
     <div style="position:absolute;top:40px;right:0;width:90px;height:120px;border:22px solid #f5e6d3;border-left:none;border-radius:0 60px 60px 0"></div>
     <div style="position:absolute;top:0;left:0;width:200px;height:240px;border-radius:14px 14px 46px 46px;background:linear-gradient(90deg,#efe0cc,#fffaf2 40%,#e6d2b8)"></div>
     <div style="position:absolute;top:0;left:0;width:200px;height:18px;border-radius:14px 14px 0 0;background:#d9c2a3"></div>
     <div style="position:absolute;top:96px;left:0;width:200px;height:44px;background:#e37318"></div>
     <div style="position:absolute;top:104px;left:0;width:200px;text-align:center;color:#fff;font-weight:700;font-size:22px">MemberLoop</div>
   </div>`,
);

const parking = frame(
  'linear-gradient(160deg, #e6f7ef 0%, #f4fbf7 60%, #d3f0e1 100%)',
  `<div style="width:260px;height:260px;border-radius:48px;background:#1677ff;display:flex;flex-direction:column;align-items:center;justify-content:center;box-shadow:0 18px 40px rgba(22,119,255,.25)">
     <div style="color:#fff;font-size:150px;font-weight:800;line-height:1">P</div>
     <div style="color:#fff;font-size:34px;font-weight:600;margin-top:6px">2 小时</div>
   </div>`,
);

/** A coupon ticket: the amount large, the rule under it, notched sides. */
const coupon = (amount: string, unit: string, rule: string, color: string) =>
  frame(
    'linear-gradient(160deg, #fff1f0 0%, #fff8f7 60%, #ffe3e0 100%)',
    `<div style="position:relative;width:380px;height:230px;border-radius:22px;background:linear-gradient(135deg,${color},#ff7a45);display:flex;flex-direction:column;align-items:center;justify-content:center;color:#fff;box-shadow:0 18px 40px rgba(213,73,65,.25)">
       <div style="position:absolute;left:-20px;top:95px;width:40px;height:40px;border-radius:50%;background:#fff5f4"></div>
       <div style="position:absolute;right:-20px;top:95px;width:40px;height:40px;border-radius:50%;background:#fff5f4"></div>
       <div style="font-size:96px;font-weight:800;line-height:1">${unit === '¥' ? '<span style="font-size:48px">¥</span>' : ''}${amount}${unit === '折' ? '<span style="font-size:44px">折</span>' : ''}</div>
       <div style="margin-top:14px;font-size:28px;opacity:.95">${rule}</div>
     </div>`,
  );

const DRAWINGS: Record<string, string> = {
  'thermos-cup-1': thermos(false),
  'thermos-cup-2': thermos(true),
  'gift-mug-1': mug,
  'parking-2h-1': parking,
  'coupon-100-minus-20-1': coupon('20', '¥', '满100元可用', '#d54941'),
  'coupon-85-off-1': coupon('8.5', '折', '全场通用', '#e37318'),
  'coupon-30-no-threshold-1': coupon('30', '¥', '无门槛', '#c9353f'),
};

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } });
  for (const [name, html] of Object.entries(DRAWINGS)) {
    await page.setContent(html);
    await page.screenshot({ path: join(OUT, `${name}.png`) });
    console.log(`db/seed-files/items/${name}.png`);
  }
  await browser.close();
}

void main();
