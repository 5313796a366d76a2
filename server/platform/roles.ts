import type { RoleDoc } from '../../typings/documents';
import type { Role } from '../../typings/vocabulary';
import type { ServerContext } from './context';
import { findIn, findOne } from './db';
import { AppError } from './errors';
import { callerOpenid } from './caller';

/** Roles read during one invocation (a function's gate, then its action): read once. */
const readRoles = new WeakMap<ServerContext, Promise<RoleDoc | undefined>>();

/** The caller's role from the `roles` collection; whatever the event claims is irrelevant. */
export async function requireRole(ctx: ServerContext, role: Role): Promise<RoleDoc> {
  const openid = callerOpenid(ctx);
  let read = readRoles.get(ctx);
  if (!read) {
    read = findOne(ctx.db, 'roles', openid);
    readRoles.set(ctx, read);
  }
  const doc = await read;
  if (doc?.role !== role) throw new AppError('FORBIDDEN', '没有权限进行此操作');
  return doc;
}

/** A staff member and the store they work at. */
export type Staff = RoleDoc & { storeId: string };

/** The caller as staff of a store (staff without a store are refused). */
export async function requireStaff(ctx: ServerContext): Promise<Staff> {
  const staff = await requireRole(ctx, 'staff');
  if (!staff.storeId) throw new AppError('FORBIDDEN', '店员未绑定门店');
  return { ...staff, storeId: staff.storeId };
}

/** A function's gate: callers without `role` are refused before their event is read. */
export const onlyRole = (role: Role) => (ctx: ServerContext) => requireRole(ctx, role);

/** A store as staff and members read it: its name (its id if the store document is missing). */
export async function storeName(ctx: ServerContext, storeId: string): Promise<string> {
  return (await findOne(ctx.db, 'stores', storeId))?.name ?? storeId;
}

/** Staff and operators by the names their roles carry (`店员` for one without a name), for screens that list who did what. */
export async function roleNames(ctx: ServerContext, openids: string[]): Promise<Record<string, string>> {
  const named = new Map((await findIn<RoleDoc>(ctx.db, 'roles', '_id', openids)).map((d) => [d._id, d.name]));
  return Object.fromEntries(openids.map((id) => [id, named.get(id) || '店员']));
}
