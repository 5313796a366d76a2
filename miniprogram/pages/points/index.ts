import type { LedgerLine } from '../../../typings/api';
import { api } from '../../api/client';
import { pagedList } from '../../behaviors/paged-list';
import { beijingDate, beijingTime, reasonText } from '../../utils/format';

/** What a line of the history shows, and nothing more. */
function toRow(entry: LedgerLine) {
  return {
    id: entry.id,
    label: reasonText(entry.reason, entry.delta),
    amount: entry.delta > 0 ? `+${entry.delta}` : String(entry.delta),
    plus: entry.delta > 0,
    when: `${beijingDate(entry.at)} ${beijingTime(entry.at)}`,
    expiresOn: entry.expiresOn,
  };
}

/** Points history: every movement, newest first (Beijing time), more on reaching the bottom. */
Component({
  behaviors: [pagedList],
  data: { balance: 0, nextExpiry: null as { points: number; on: string } | null },
  methods: {
    onLoad() {
      return this.load();
    },
    async fetchPage(page: number) {
      const reply = await api.member.pointsHistory(page);
      if (!reply.ok) return reply;
      const { balance, nextExpiry, hasMore } = reply.data;
      return { ok: true as const, data: { rows: reply.data.entries.map(toRow), hasMore, extra: { balance, nextExpiry } } };
    },
  },
});
