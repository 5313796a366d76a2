import type { Address } from '../../typings/api';

/** An address on one line, as a label shows it: 广东省 深圳市 南山区 科技园 1 号. */
export const addressText = (a: Address): string => [a.provinceName, a.cityName, a.countyName, a.detailInfo].join(' ');

/** A phone number shown on screen: 138****5678. */
export function maskedTel(tel: string): string {
  const digits = tel.replace(/\D/g, '');
  return digits.length >= 7 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : tel;
}
