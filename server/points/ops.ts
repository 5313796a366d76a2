import { z } from 'zod';
import type { ReconcileResult } from '../../typings/api';
import { requireRole } from '../platform/roles';
import { action } from '../platform/router';
import { reconcilePage } from './reconcile';

/** Operators: reconcile a page of balances against the ledger; call again with `nextCursor`. */
export const reconcile = action(
  () =>
    z
      .object({
        cursor: z.string().max(64).default(''),
        pageSize: z.number().int().min(1).max(1000).default(500),
        fix: z.boolean().default(false),
      })
      .strict(),
  async (ctx, input): Promise<ReconcileResult> => {
    await requireRole(ctx, 'operator');
    return reconcilePage(ctx, input.cursor, input.pageSize, input.fix);
  },
);
