import type { Role, RoleDoc } from '../typings/documents';
import type { ServerContext } from './context';
import { findOne } from './db';
import { AppError } from './errors';
import { requireMember } from './member/registration';

/** The caller's role from the `roles` collection; whatever the event claims is irrelevant. */
export async function requireRole(ctx: ServerContext, role: Role): Promise<RoleDoc> {
  const openid = requireMember(ctx);
  const doc = await findOne<RoleDoc>(ctx.db, 'roles', openid);
  if (doc?.role !== role) throw new AppError('FORBIDDEN', '没有权限进行此操作');
  return doc;
}
