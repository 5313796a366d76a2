import type { LedgerLine } from '../../../typings/api';
import { api } from '../../api/client';
import { reasonText } from '../../utils/format';
import { messageFor } from '../../utils/messages';

interface Line extends LedgerLine {
  label: string;
  amount: string;
  when: string;
}

function toLine(entry: LedgerLine): Line {
  return {
    ...entry,
    label: reasonText(entry.reason),
    amount: entry.delta > 0 ? `+${entry.delta}` : String(entry.delta),
    when: entry.at.slice(0, 10),
  };
}

/** Points history: every movement, newest first, more on demand. */
Component({
  data: {
    error: '',
    balance: 0,
    lines: [] as Line[],
    page: 0,
    hasMore: false,
    nextExpiry: null as { points: number; on: string } | null,
  },
  methods: {
    onLoad() {
      return this.loadPage(0);
    },
    onReachBottom() {
      if (this.data.hasMore) return this.loadPage(this.data.page + 1);
      return undefined;
    },
    async loadPage(page: number) {
      const reply = await api.member.pointsHistory(page);
      if (!reply.ok) {
        this.setData({ error: messageFor(reply.code) });
        return;
      }
      const lines = reply.data.entries.map(toLine);
      if (page === 0) this.setData({ nextExpiry: reply.data.nextExpiry });
      this.setData({ error: '', balance: reply.data.balance, page, hasMore: reply.data.hasMore, lines: page === 0 ? lines : [...this.data.lines, ...lines] });
    },
  },
});
