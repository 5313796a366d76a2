import type { CheckinResult, Profile, TaskView, WelcomeBack } from '../../../typings/api';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { TIER_LABELS, messageFor } from '../../utils/messages';
import { rewardText, shortDay, yuan } from '../../utils/format';
import { goDo } from '../../utils/tasks';
import { askForSubscriptions } from '../../utils/subscribe';

/** What the member just earned, as the check-in feedback shows it. */
function earnedText(result: CheckinResult): string {
  const parts = [`+${result.points + result.bonusPoints} 积分`];
  if (result.birthday) parts.push('生日双倍');
  else if (result.newbie) parts.push('新人双倍');
  if (result.milestone) parts.push(`解锁「${result.milestone.title}」`);
  return parts.join(' · ');
}

/** The check-in moment: what was earned and why, the streak, what unlocked, and what tomorrow brings. */
function momentOf(result: CheckinResult) {
  const unlocked = [result.milestone && `解锁「${result.milestone.title}」`, result.badge && `获得徽章「${result.badge.title}」`].filter(
    Boolean,
  );
  const next = result.nextMilestone;
  return {
    points: result.points + result.bonusPoints,
    why: result.birthday ? '生日双倍' : result.newbie ? '新人双倍' : '',
    streak: result.streak,
    unlocked: unlocked.join(' · '),
    tomorrow: result.tomorrowPoints,
    next: next ? `再签 ${next.inDays} 天：${next.title}` : '',
  };
}

/** A returning member's gift pack, as one line: `100 积分 · 补签卡 ×1 · 满100减20券`. */
function giftText(gift: WelcomeBack): string {
  const parts: string[] = [];
  if (gift.points) parts.push(`${gift.points} 积分`);
  if (gift.makeupCards) parts.push(`补签卡 ×${gift.makeupCards}`);
  if (gift.coupon) parts.push(gift.coupon);
  return parts.join(' · ');
}

/** The tier line of the card: the label, the way up, and a standing downgrade warning. */
function tierData(profile: Profile): Record<string, string> {
  const { next } = profile.tierProgress;
  const notice = profile.tierNotice;
  return {
    tierLabel: TIER_LABELS[profile.tier],
    tierNext: next ? `再消费 ${yuan(next.toGo)} 元升级${next.name}` : '',
    tierNotice: notice
      ? `近期消费未达保级标准，${shortDay(notice.downgradeOn)}将调整为${notice.toName}；再消费 ${yuan(notice.toKeep)} 元即可保级`
      : '',
  };
}

/** The profile as the page shows it; a gift handed over on this visit, once. */
function profileData(profile: Profile): Record<string, unknown> {
  const welcome = profile.welcomeBack;
  return {
    profile,
    ...tierData(profile),
    ...(welcome ? { gift: giftText(welcome), recommendation: welcome.recommendation } : {}),
  };
}

/**
 * Home: the membership card, today's check-in with instant feedback. Opening it is a
 * visit (`home`); coming back to the tab refreshes the card read-only (`profile`), so a
 * balance changed elsewhere shows without counting another visit.
 */
Component({
  behaviors: [remoteData],
  data: {
    profile: null as Profile | null,
    tierLabel: '',
    checkingIn: false,
    earned: '',
    notice: '',
    inviteCode: '',
    todayTasks: [] as (TaskView & { rewardText: string })[],
    gift: '',
    recommendation: null as WelcomeBack['recommendation'],
    moment: null as ReturnType<typeof momentOf> | null,
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
    onShow() {
      if (!this.data.profile || this.data.loading) return undefined;
      return this.refresh();
    },
    /** The visit: registers, counts, hands over a waiting gift. Retry and pull-down run it again only if it failed. */
    async load() {
      if (this.data.profile) return this.refresh();
      const ok = await this.request(api.member.home(this.data.inviteCode || undefined), profileData);
      // Read again: `request` has just set it (the narrowing above cannot know).
      const profile = this.data.profile as Profile | null;
      if (!ok || !profile) return undefined;
      if (!profile.checkedToday) void api.member.track({ event: 'checkin_popup', stage: 'shown' });
      return this.loadTasks();
    },
    async refresh() {
      // A new day (after midnight) clears yesterday's check-in feedback.
      await this.request(api.member.profile(), (profile) => ({
        profile,
        ...tierData(profile),
        ...(profile.checkedToday ? {} : { earned: '', notice: '' }),
      }));
      await this.loadTasks();
    },
    closeMoment() {
      this.setData({ moment: null });
    },
    /** Taps inside the card stay there (the mask's tap closes it). */
    keepMoment() {},
    async loadTasks() {
      const reply = await api.member.tasks();
      if (reply.ok)
        this.setData({
          todayTasks: reply.data.tasks
            .filter((t) => t.kind === 'daily' || t.kind === 'newbie')
            .map((t) => ({ ...t, rewardText: `+${rewardText(t.reward)}` })),
        });
    },
    /** 去完成: where the task is done (today's check-in is done right here). */
    onDoTask(e: WechatMiniprogram.BaseEvent) {
      const task = this.data.todayTasks.find((t) => t.id === e.currentTarget.dataset['id']);
      if (!task) return undefined;
      return task.trigger === 'checkin' ? this.onCheckin() : goDo(task);
    },
    async onClaimTask(e: WechatMiniprogram.BaseEvent) {
      const reply = await api.member.claimTask(String(e.currentTarget.dataset['id']));
      this.setData({ notice: reply.ok ? `领取成功：${rewardText(reply.data.reward)}` : messageFor(reply.code) });
      if (reply.ok) this.setData({ 'profile.points': reply.data.balance, 'profile.makeupCards': reply.data.makeupCards });
      await this.loadTasks();
    },
    openTasks() {
      return wx.switchTab({ url: '/pages/tasks/index' });
    },
    openProfile() {
      return wx.navigateTo({ url: '/pages/profile/index' });
    },
    openTier() {
      return wx.navigateTo({ url: '/pages/tier/index' });
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
    openStaff() {
      return wx.navigateTo({ url: '/store/scan/index' });
    },
    onShareAppMessage() {
      return { title: '每日签到领积分，积分换好礼', path: '/pages/home/index' };
    },
    onShareTimeline() {
      return { title: '每日签到领积分，积分换好礼' };
    },
    async onCheckin() {
      if (this.data.checkingIn || this.data.profile?.checkedToday) return;
      askForSubscriptions(this.data.profile?.reminderTemplates ?? []);
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
        moment: momentOf(reply.data),
        'profile.points': reply.data.balance,
        'profile.streak': reply.data.streak,
        'profile.checkedToday': true,
        'profile.makeupCards': reply.data.makeupCards,
        'profile.week': reply.data.week,
      });
      await this.loadTasks();
    },
  },
});
