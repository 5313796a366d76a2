import type { LedgerEntryDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findDocs } from '../platform/db';

const PAGE = 1000;

/** All of one member's ledger entries, oldest first, read a page (≤ 1000) at a time. */
export async function memberEntries(ctx: ServerContext, openid: string): Promise<LedgerEntryDoc[]> {
  const entries: LedgerEntryDoc[] = [];
  for (let page = 0; ; page++) {
    const rows = await findDocs<LedgerEntryDoc>(
      ctx.db
        .collection('ledger')
        .where({ openid })
        .orderBy('at', 'asc')
        .orderBy('_id', 'asc')
        .skip(page * PAGE)
        .limit(PAGE),
    );
    entries.push(...rows);
    if (rows.length < PAGE) return entries;
  }
}
