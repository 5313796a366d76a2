import { z } from 'zod';
import type { RoleChangeView } from '../../typings/api';
import type { RoleChangeDoc, RoleDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findDocs, findOne, inTransaction, txGet } from '../platform/db';
import { AppError } from '../platform/errors';
import { requireRole } from '../platform/roles';
import { action } from '../platform/router';
import { memberCodeFor } from '../staff/codeGuard';

const reason = z.lazy(() => z.string().trim().min(1).max(100));

/**
 * An operator makes a member staff of a store — the member found by the 会员码 on their
 * phone (scanned, behind the same guessing protection as at the till) or by openid — or
 * moves them to another store. Operators' own roles are not changed here. Every change is
 * written with its audit record (`roleChanges`) in one transaction.
 */
export const setStaff = action(
  () =>
    z
      .object({
        code: z.string().min(1).max(40).optional(),
        openid: z.string().min(1).max(64).optional(),
        storeId: z.string().regex(/^[A-Za-z0-9-]{2,48}$/),
        reason,
      })
      .strict()
      .refine((r) => (r.code === undefined) !== (r.openid === undefined), { message: 'send the member code or the openid, one of them' }),
  async (ctx, input): Promise<RoleChangeView> => {
    const operator = await requireRole(ctx, 'operator');
    const openid = input.code
      ? (await memberCodeFor(ctx, { ...operator, storeId: '(ops)' }, input.code)).holder.openid
      : (input.openid as string);
    const [member, store] = await Promise.all([findOne(ctx.db, 'members', openid), findOne(ctx.db, 'stores', input.storeId)]);
    if (!member) throw new AppError('NOT_FOUND', '会员不存在');
    if (!store) throw new AppError('NOT_FOUND', '门店不存在');
    return changeRole(ctx, operator._id, openid, { _id: openid, role: 'staff', storeId: store._id, name: member.nickname }, input.reason);
  },
);

/** An operator takes a member's staff role away (audited the same way). */
export const revokeStaff = action(
  () => z.object({ openid: z.string().min(1).max(64), reason }).strict(),
  async (ctx, input): Promise<RoleChangeView> => {
    const operator = await requireRole(ctx, 'operator');
    return changeRole(ctx, operator._id, input.openid, null, input.reason);
  },
);

/** Role changes, newest first (optionally one member's): who changed what, when and why. */
export const roleChanges = action(
  () => z.object({ openid: z.string().min(1).max(64).optional() }).strict(),
  async (ctx, input): Promise<RoleChangeView[]> => {
    await requireRole(ctx, 'operator');
    const query = input.openid
      ? ctx.db.collection('roleChanges').where({ openid: input.openid }).orderBy('seq', 'desc')
      : ctx.db.collection('roleChanges').where({}).orderBy('at', 'desc');
    const docs = await findDocs<RoleChangeDoc>(query.limit(100));
    return docs.map(changeView);
  },
);

async function changeRole(ctx: ServerContext, by: string, openid: string, to: RoleDoc | null, why: string): Promise<RoleChangeView> {
  const now = ctx.clock.now();
  const change = await inTransaction(ctx.db, async (tx) => {
    const from = (await txGet(tx, 'roles', openid).catch(() => undefined)) ?? null;
    if (from?.role === 'operator') throw new AppError('FORBIDDEN', '运营账号的权限不能在这里修改');
    if (!from && !to) throw new AppError('NOT_FOUND', '该会员没有工作身份');
    const doc = tx.collection('roles').doc(openid);
    if (to) await doc.set({ data: { role: to.role, storeId: to.storeId, name: to.name } });
    else await doc.remove();
    // Numbered per member in this transaction, so racing changes list in the order they committed.
    // Staff have opened the mini-program (that registered them), so there is a member to number it on.
    const m = await txGet(tx, 'members', openid).catch(() => undefined);
    if (!m) throw new AppError('NOT_FOUND', '会员不存在');
    const seq = (m.roleChanges ?? 0) + 1;
    await tx
      .collection('members')
      .doc(openid)
      .update({ data: { roleChanges: seq } });
    const record: RoleChangeDoc = {
      _id: `${openid}:${seq}`,
      openid,
      seq,
      from: roleOf(from),
      to: roleOf(to),
      by,
      at: now,
      reason: why,
    };
    await tx.collection('roleChanges').add({ data: record });
    return record;
  });
  return changeView(change);
}

const roleOf = (doc: RoleDoc | null): RoleChangeDoc['to'] => (doc ? { role: doc.role, storeId: doc.storeId ?? null } : null);

const changeView = (c: RoleChangeDoc): RoleChangeView => ({
  openid: c.openid,
  from: c.from,
  to: c.to,
  by: c.by,
  at: c.at.toISOString(),
  reason: c.reason,
});
