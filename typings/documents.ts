/** Shapes of documents stored in the cloud database (see db/collections.json). */

/** `members/<openid>`: one per WeChat user of the brand's mini-program. */
export interface MemberDoc {
  _id: string;
  /** Owner field, equal to `_id`; kept explicit for security rules and queries. */
  openid: string;
  unionid: string | null;
  nickname: string;
  tier: 'bronze' | 'silver' | 'gold';
  points: number;
  registeredAt: Date;
  /** Beijing business day of registration, `YYYY-MM-DD`. */
  registeredDay: string;
  lastSeenAt: Date;
}

export type Role = 'operator' | 'staff';

/** `roles/<openid>`: edited by operators in the cloud DB console. */
export interface RoleDoc {
  _id: string;
  role: Role;
  /** Required for staff: the store they verify coupons at. */
  storeId?: string;
  name?: string;
}
