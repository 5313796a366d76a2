import { z } from 'zod';
import { businessDaySchema } from '../../core/time/schema';
import type { WriteOffView } from '../../typings/api';
import { requireRole } from '../platform/roles';
import { action } from '../platform/router';
import { refund, refundInput } from './refund';
import { writeOffsOf } from './writeoff';

/** Operators reverse any store's purchase. */
export const refundAnyPurchase = action(
  () => refundInput,
  async (ctx, { purchaseId, reason }) => {
    const operator = await requireRole(ctx, 'operator');
    return refund(ctx, { ...operator, role: 'operator' }, purchaseId, reason, null);
  },
);

/** Write-offs on a Beijing day, of one store or all. */
export const writeOffs = action(
  () => z.object({ day: businessDaySchema, storeId: z.string().min(1).max(64).optional() }).strict(),
  async (ctx, input): Promise<WriteOffView[]> => {
    await requireRole(ctx, 'operator');
    return writeOffsOf(ctx, input.day, input.storeId);
  },
);
