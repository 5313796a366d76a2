import type { CheckinResult, Profile, TaskView, WelcomeBack } from '../../../typings/api';
import { api } from '../../api/client';
import { TIER_LABELS, messageFor } from '../../utils/messages';

/** What the member just earned, as the check-in feedback shows it. */
function earnedText(result: CheckinResult): string {
  const parts = [`+${result.points + result.bonusPoints} 积分`];
  if (result.newbie) parts.push('新人双倍');
  if (result.milestone) parts.push(`解锁「${result.milestone.title}」`);
  return parts.join(' · ');
}

/** A returning member's gift pack, as one line: `100 积分 · 补签卡 ×1 · 满100减20券`. */
function giftText(gift: WelcomeBack): string {
  const parts: string[] = [];
  if (gift.points) parts.push(`${gift.points} 积分`);
  if (gift.makeupCards) parts.push(`补签卡 ×${gift.makeupCards}`);
  if (gift.coupon) parts.push(gift.coupon);
  return parts.join(' · ');
}

/**
 * Asks for one-time subscriptions (reminders) and reports the member's choice. WeChat
 * shows the dialog only when called synchronously inside a tap, so this runs first in the
 * handler and is not awaited. Rejected, banned or filtered templates earn no credit.
 */
function askForReminders(templates: string[]): void {
  if (!templates.length || typeof wx.requestSubscribeMessage !== 'function') return;
  wx.requestSubscribeMessage({
    tmplIds: templates,
    success(res: Record<string, string>) {
      const accepted = templates.filter((id) => res[id] === 'accept');
      void api.member.subscribe(accepted, templates.filter((id) => !accepted.includes(id)));
    },
    fail() {
      // The member closed the dialog or the base library refused: nothing to report.
    },
  } as WechatMiniprogram.RequestSubscribeMessageOption);
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
    gift: '',
    recommendation: null as WelcomeBack['recommendation'],
  },
  methods: {
    /**
     * `inviteCode` arrives when a friend's share brought the member here; `from=reminder`
     * and `campaign` when a subscribe message did (the reminder's page path).
     */
    async onLoad(options: Record<string, string | undefined> = {}) {
      this.setData({ inviteCode: options['inviteCode'] ?? '' });
      await this.load();
      const campaign = options['campaign'];
      if (options['from'] === 'reminder' && campaign) void api.member.track({ event: 'reminder_opened', campaign });
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
        const welcome = reply.data.welcomeBack;
        if (welcome) this.setData({ gift: giftText(welcome), recommendation: welcome.recommendation });
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
    openRecommendation() {
      return wx.navigateTo({ url: `/pages/item/index?id=${this.data.recommendation?.itemId ?? ''}` });
    },
    openPoints() {
      return wx.navigateTo({ url: '/pages/points/index' });
    },
    async onCheckin() {
      if (this.data.checkingIn || this.data.profile?.checkedToday) return;
      askForReminders(this.data.profile?.reminderTemplates ?? []);
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
