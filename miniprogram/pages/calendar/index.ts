import { type Cell, monthGrid } from '../../utils/month-grid';
import type { Calendar, Leaderboard } from '../../../typings/api';
import { api } from '../../api/client';
import { shortDay } from '../../utils/format';
import { messageFor } from '../../utils/messages';

/** The check-in calendar: the month's days, make-up on a missed day, milestones ahead. */
Component({
  data: {
    loading: true,
    error: '',
    notice: '',
    calendar: null as Calendar | null,
    cells: [] as Cell[],
    selected: '',
    selectedLabel: '',
    board: null as Leaderboard | null,
  },
  methods: {
    onShow() {
      return Promise.all([this.load(), this.loadBoard()]);
    },
    async loadBoard() {
      const reply = await api.member.leaderboard(5);
      if (reply.ok) this.setData({ board: reply.data });
    },
    async load() {
      const reply = await api.member.calendar();
      if (!reply.ok) {
        this.setData({ loading: false, error: messageFor(reply.code) });
        return;
      }
      const cal = reply.data;
      const marked = new Map(cal.days.map((d) => [d.day, d.kind] as const));
      this.setData({ loading: false, error: '', calendar: cal, cells: monthGrid(cal.month, cal.today, marked, new Set(cal.makeupDays)), selected: '' });
    },
    onPickDay(e: WechatMiniprogram.TouchEvent) {
      const { day, kind } = e.currentTarget.dataset as { day: string; kind: string };
      if (kind !== 'missable') return;
      this.setData({ selected: day, selectedLabel: shortDay(day), notice: '' });
    },
    async onMakeup() {
      const day = this.data.selected;
      if (!day) return;
      const reply = await api.member.makeup(day);
      if (!reply.ok) {
        this.setData({ notice: messageFor(reply.code) });
        return;
      }
      this.setData({ notice: `补签成功，已连续签到 ${reply.data.streak} 天` });
      await this.load();
    },
  },
});
