import type { CheckinResult, Profile, TaskView } from '../../../typings/api';
import { api } from '../../api/client';
import { TIER_LABELS, messageFor } from '../../utils/messages';

/** What the member just earned, as the check-in feedback shows it. */
function earnedText(result: CheckinResult): string {
  const parts = [`+${result.points + result.bonusPoints} 积分`];
  if (result.newbie) parts.push('新人双倍');
  if (result.milestone) parts.push(`解锁「${result.milestone.title}」`);
  return parts.join(' · ');
}

/** Home: the membership card, today's check-in with instant feedback. */
Component({
  data: {
    loading: true,
    error: '',
    profile: null as Profile | null,
    tierLabel: '',
    checkingIn: false,
    earned: '',
    notice: '',
    inviteCode: '',
    todayTasks: [] as TaskView[],
  },
  methods: {
    /** `inviteCode` arrives when a friend's share brought the member here. */
    onLoad(options: Record<string, string | undefined> = {}) {
      this.setData({ inviteCode: options['inviteCode'] ?? '' });
      return this.load();
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh());
    },
    async load() {
      this.setData({ loading: true, error: '' });
      const reply = await api.member.home(this.data.inviteCode || undefined);
      if (reply.ok) void this.loadTasks();
      if (reply.ok) {
        this.setData({ loading: false, profile: reply.data, tierLabel: TIER_LABELS[reply.data.tier] });
        if (!reply.data.checkedToday) void api.member.track({ event: 'checkin_popup', stage: 'shown' });
      } else {
        this.setData({ loading: false, error: messageFor(reply.code) });
      }
    },
    async loadTasks() {
      const reply = await api.member.tasks();
      if (reply.ok) this.setData({ todayTasks: reply.data.tasks.filter((t) => t.kind === 'daily' || t.kind === 'newbie') });
    },
    openTasks() {
      return wx.switchTab({ url: '/pages/tasks/index' });
    },
    openCalendar() {
      return wx.navigateTo({ url: '/pages/calendar/index' });
    },
    openPoints() {
      return wx.navigateTo({ url: '/pages/points/index' });
    },
    async onCheckin() {
      if (this.data.checkingIn || this.data.profile?.checkedToday) return;
      this.setData({ checkingIn: true, notice: '' });
      void api.member.track({ event: 'checkin_popup', stage: 'tapped' });
      const reply = await api.member.checkin();
      if (!reply.ok) {
        this.setData({ checkingIn: false, notice: messageFor(reply.code), 'profile.checkedToday': reply.code === 'CHECKIN_ALREADY_TODAY' });
        return;
      }
      this.setData({
        checkingIn: false,
        earned: earnedText(reply.data),
        'profile.points': reply.data.balance,
        'profile.streak': reply.data.streak,
        'profile.checkedToday': true,
        'profile.makeupCards': reply.data.makeupCards,
      });
      await this.loadTasks();
    },
  },
});
