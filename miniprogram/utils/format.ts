import type { RewardView } from '../../typings/api';

/** A reward as members read it. */
export function rewardText(reward: RewardView): string {
  switch (reward.type) {
    case 'points':
      return `${reward.points} 积分`;
    case 'makeupCard':
      return `补签卡 ×${reward.cards}`;
    case 'coupon':
    case 'badge':
      return reward.title;
  }
}

const REASONS: Record<string, string> = {
  checkin: '每日签到',
  milestone: '连签奖励',
  task: '任务奖励',
  grant: '活动赠送',
  gift: '回归礼包',
  redemption: '积分兑换',
  expiry: '积分过期',
  reversal: '退还',
  spend: '消费积分',
  commission: '分享佣金',
};

/** A points line's reason in Chinese; a reversal that takes points (a refund's) reads as taken back, not returned. */
export function reasonText(reason: string, delta: number): string {
  if (reason === 'reversal' && delta < 0) return '退款扣回';
  return REASONS[reason] ?? reason;
}

/** `2026-03-04` → `3月4日`. */
export function shortDay(day: string): string {
  const [, m, d] = day.split('-');
  return `${Number(m)}月${Number(d)}日`;
}

/** Yuan as typed at the till (e.g. 128.5) → fen, or undefined if it is not an amount. */
export function toFen(text: string): number | undefined {
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(text.trim())) return undefined;
  return Math.round(Number(text) * 100);
}

/** What an item costs as members read it: points, money at their tier (and the list price when it differs), or both. */
export function priceText(i: { price: number; cashPrice: number | null; memberCashPrice: number | null }): string {
  if (i.cashPrice === null || i.memberCashPrice === null) return `${i.price} 积分`;
  const cash = `¥${yuan(i.memberCashPrice)}${i.memberCashPrice < i.cashPrice ? `（原价 ¥${yuan(i.cashPrice)}）` : ''}`;
  return i.price > 0 ? `${cash} + ${i.price} 积分` : cash;
}

/** Fen as yuan for people: 2000 → 20, 1550 → 15.5. */
export function yuan(fen: number): string {
  return String(fen / 100);
}

function beijingIso(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
}

/** `2026-03-17T16:00:00.000Z` → `2026-03-18` (the Beijing day). */
export function beijingDate(iso: string): string {
  return beijingIso(iso).slice(0, 10);
}

/** `2026-03-17T16:05:00.000Z` → `00:05` (Beijing). */
export function beijingTime(iso: string): string {
  return beijingIso(iso).slice(11, 16);
}

/** `2026-03-17T16:05:00.000Z` → `2026-03-18 00:05` (Beijing). */
export function beijingDateTime(iso: string): string {
  return `${beijingDate(iso)} ${beijingTime(iso)}`;
}

/** The last Beijing day a coupon can be used: `validTo` is the exclusive midnight after it. */
export function lastValidDay(validTo: string): string {
  return beijingDate(new Date(new Date(validTo).getTime() - 1).toISOString());
}

/** A till code as people read it out: 14-digit coupon codes as 1234 5678 123 456, 16-digit member codes in fours. */
export function groupedCode(code: string): string {
  if (code.length === 14) return `${code.slice(0, 4)} ${code.slice(4, 8)} ${code.slice(8, 11)} ${code.slice(11)}`;
  return code.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** Time left as a countdown reads: `23:59:59`; `已结束` at zero. */
export function countdownText(secondsLeft: number): string {
  if (secondsLeft <= 0) return '已结束';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(secondsLeft / 3600))}:${pad(Math.floor((secondsLeft % 3600) / 60))}:${pad(Math.floor(secondsLeft % 60))}`;
}

/**
 * A proportion with its 95 % interval, as operators read it: `32%（28–36%）`; a difference of
 * proportions (an uplift) reads in percentage points: `4 个百分点（-1–9）`.
 */
export function intervalText(i: { estimate: number; low: number; high: number }, difference = false): string {
  const pct = (x: number) => Math.round(x * 100);
  return difference
    ? `${pct(i.estimate)} 个百分点（${pct(i.low)}–${pct(i.high)}）`
    : `${pct(i.estimate)}%（${pct(i.low)}–${pct(i.high)}%）`;
}
