/**
 * The API contract between the mini-program and the cloud functions: for every
 * function, each action's request and response. Imported by both sides.
 */
import type { Role } from './documents';

export interface Profile {
  openid: string;
  nickname: string;
  tier: 'bronze' | 'silver' | 'gold';
  points: number;
  registeredAt: string;
  /** The caller's back-office role, if operators gave them one. */
  role: { role: Role; storeId?: string } | null;
  /** True on the call that registered the member. */
  isNew: boolean;
}

export interface MemberApi {
  home: { request: Record<string, never>; response: Profile };
}

export interface FunctionApis {
  member: MemberApi;
}

export type FunctionName = keyof FunctionApis;
export type ActionName<F extends FunctionName> = keyof FunctionApis[F] & string;
type Entry<F extends FunctionName, A extends ActionName<F>> = FunctionApis[F][A];
export type RequestOf<F extends FunctionName, A extends ActionName<F>> =
  Entry<F, A> extends { request: infer R } ? R : never;
export type ResponseOf<F extends FunctionName, A extends ActionName<F>> =
  Entry<F, A> extends { response: infer R } ? R : never;
