/**
 * The product's shared vocabulary, declared once: the API contract, the stored documents
 * and core's rules all speak these types (core's schemas are checked against them). This
 * folder imports nothing from the rest of the project.
 */

/** A Beijing calendar day, `YYYY-MM-DD`. */
export type BusinessDay = string;

export const TIERS = ['bronze', 'silver', 'gold'] as const;
export type Tier = (typeof TIERS)[number];

export type Role = 'operator' | 'staff';

export type ItemKind = 'coupon' | 'physical' | 'virtual';

/** Where a fulfilment order is: pending → shipped / pickedUp → done, or cancelled. */
export type OrderStatus = 'pending' | 'shipped' | 'pickedUp' | 'done' | 'cancelled';

/** What a coupon takes off an order; amounts in fen. */
export type CouponRule =
  | { type: 'threshold'; threshold: number; amount: number }
  | { type: 'discount'; percent: number; maxOff?: number }
  | { type: 'noThreshold'; amount: number };

/** What a milestone, task or campaign gives. */
export type Reward =
  | { type: 'points'; points: number }
  | { type: 'makeupCard'; cards: number }
  | { type: 'coupon'; couponKey: string; title: string }
  | { type: 'badge'; badge: string; title: string };

/** Lifecycle stages (docs/rules.md: potential / new / active / sleeping / churned). */
export type Stage = 'potential' | 'new' | 'active' | 'sleeping' | 'churned';

/** An unbroken run of days, both ends included (a streak, consecutive active days). */
export interface DayRun {
  start: BusinessDay;
  end: BusinessDay;
}

export type DensityLevel = 'low' | 'mid' | 'high';
export type ValueLevel = 'low' | 'high';
/** Behaviour density × value expectation. */
export type Segment = `${DensityLevel}-${ValueLevel}`;
export type Tag = 'high_value' | 'potential_churn' | 'price_sensitive' | 'high_intent';

/** What a return gift pack (回归礼包) holds. */
export interface GiftPack {
  points: number;
  makeupCards: number;
  couponKey: string | null;
}

/** A delivery address as `wx.chooseAddress` gives it (the fields an order keeps). */
export interface Address {
  userName: string;
  telNumber: string;
  provinceName: string;
  cityName: string;
  countyName: string;
  detailInfo: string;
  postalCode?: string;
}

/** How goods reach the member: sent to an address (快递配送) or collected at a store (到店自提). */
export type Delivery = { kind: 'express'; address: Address } | { kind: 'pickup' };

/** A parcel's carrier and tracking number, given by the operator who ships it. */
export interface Shipping {
  carrier: string;
  trackingNo: string;
}
