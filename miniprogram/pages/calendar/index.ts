import { monthGrid, shiftMonth } from '../../utils/month-grid';
import type { Calendar, Leaderboard } from '../../../typings/api';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { shortDay } from '../../utils/format';
import { messageFor } from '../../utils/messages';

/** The check-in calendar: a month's days (earlier months too), make-up on a missed day, milestones ahead. */
Component({
  behaviors: [remoteData],
  data: {
    notice: '',
    month: '',
    calendar: null as Calendar | null,
    cells: [] as ReturnType<typeof monthGrid>,
    canGoNext: false,
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
    load() {
      return this.request(api.member.calendar(this.data.month || undefined), (cal) => {
        const marked = new Map(cal.days.map((d) => [d.day, d.kind] as const));
        return {
          calendar: cal,
          month: cal.month,
          canGoNext: cal.month < cal.today.slice(0, 7),
          cells: monthGrid(cal.month, cal.today, marked, new Set(cal.makeupDays), cal.since),
          selected: '',
        };
      });
    },
    onPrevMonth() {
      this.setData({ month: shiftMonth(this.data.month, -1), notice: '' });
      return this.load();
    },
    onNextMonth() {
      if (!this.data.canGoNext) return undefined;
      this.setData({ month: shiftMonth(this.data.month, 1), notice: '' });
      return this.load();
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
