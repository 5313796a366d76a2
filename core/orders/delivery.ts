import { z } from 'zod';
import type { Address, Delivery, OrderStatus, Shipping } from '../../typings/vocabulary';

export type { Address, Delivery, Shipping };

/**
 * How goods reach the member: sent to an address (快递配送: the address from
 * `wx.chooseAddress`, kept on the order) or collected at a store (到店自提). An order made
 * without an address is collected. The carrier and tracking number come when an operator
 * ships it.
 */
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
    .refine((s) => !/[\u0000-\u001f\u007f<>]/.test(s), { message: '含有不支持的字符' });

/** `wx.chooseAddress`'s reply, as far as an order keeps it. */
export const addressSchema: z.ZodType<Address> = z.lazy(() =>
  z
    .object({
      userName: text(20),
      telNumber: z.string().regex(/^\+?[0-9][0-9 -]{4,19}$/, '电话号码格式不对'),
      provinceName: text(20),
      cityName: text(20),
      countyName: text(20),
      detailInfo: text(120),
      postalCode: z
        .string()
        .regex(/^\d{6}$/)
        .optional(),
    })
    .strip(),
);

export const shippingSchema: z.ZodType<Shipping> = z.lazy(() =>
  z
    .object({
      carrier: text(20),
      trackingNo: z.string().regex(/^[A-Za-z0-9-]{6,32}$/, '快递单号为 6–32 位字母或数字'),
    })
    .strict(),
);

export const PICKUP: Delivery = { kind: 'pickup' };
export const deliveryFor = (address: Address | undefined): Delivery => (address ? { kind: 'express', address } : PICKUP);

/** Where a physical order may go next, by how it is delivered; done and cancelled are final. */
const NEXT: Record<Delivery['kind'], Record<OrderStatus, readonly OrderStatus[]>> = {
  express: { pending: ['shipped', 'cancelled'], shipped: ['done', 'cancelled'], pickedUp: [], done: [], cancelled: [] },
  pickup: { pending: ['pickedUp', 'cancelled'], pickedUp: ['done'], shipped: [], done: [], cancelled: [] },
};

export function canMoveOrder(delivery: Delivery['kind'], from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[delivery][from].includes(to);
}
