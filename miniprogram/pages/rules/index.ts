import type { PointsRules } from '../../../typings/api';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';

type Tab = 'points' | 'agreement';

/** When points earned in a March last until, in words: `次年 3 月 31 日到期`. */
function expiryExample(months: number): string {
  const index = 2 + months; // March is month 2, counted from 0
  const [years, month] = [Math.floor(index / 12), (index % 12) + 1];
  const lastDay = new Date(Date.UTC(2026 + years, month, 0)).getUTCDate();
  const year = years === 0 ? '当年' : years === 1 ? '次年' : `${years} 年后的`;
  return `于${year} ${month} 月 ${lastDay} 日到期`;
}

/** The rules as sentences members read, from the rule sets in force. */
function sentences(r: PointsRules) {
  const c = r.checkin;
  const earn = [
    `每日签到：连续签到第 1 天得 ${c.basePoints} 积分${c.stepPoints ? `，之后每天多 ${c.stepPoints} 积分，最多 ${c.capPoints} 积分` : ''}；断签后重新从第 1 天算起。`,
    c.newbieDays > 0 ? `新人福利：注册后 ${c.newbieDays} 天内签到积分 ×${c.newbieMultiplier}。` : '',
    c.milestones.length ? `连签奖励：${c.milestones.map((m) => `连签 ${m.day} 天得「${m.title}」`).join('，')}。` : '',
    `消费积分：门店或微信支付消费每 1 元得 ${r.spend.pointsPerYuan} 积分，${r.spend.tiers.map((t) => `${t.name} ×${t.pointsMultiplier}`).join('、')}。`,
    r.spend.birthdayMultiplier > 1 ? `生日当天：签到、任务和消费所得积分 ×${r.spend.birthdayMultiplier}。` : '',
    '完成任务：在「任务」页完成每日任务和新人任务，领取对应奖励。',
  ].filter(Boolean);
  const use = [
    '积分可在「积分商城」兑换优惠券、停车券和实物礼品；部分商品可用积分 + 微信支付购买。',
    `补签：漏签的日子可用补签卡补签，仅限最近 ${c.makeupWindowDays} 天内、注册之后的日子。`,
    `有效期：积分在获得当月之后第 ${r.validMonths} 个月的月底到期，例如 3 月获得的积分${expiryExample(r.validMonths)}，到期自动清零。`,
    '退款：订单退款时，该订单所得积分将扣回，用积分支付的部分将退还。',
  ];
  return { earn, use };
}

/** 积分规则 (from the rules in force) and 会员协议, one tab each; `?tab=agreement` opens the agreement. */
Component({
  behaviors: [remoteData],
  data: { tab: 'points' as Tab, earn: [] as string[], use: [] as string[] },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query['tab'] === 'agreement') this.setData({ tab: 'agreement' });
      return this.load();
    },
    load() {
      return this.request(api.member.pointsRules(), sentences);
    },
    onTab(e: WechatMiniprogram.BaseEvent) {
      const tab = e.currentTarget.dataset['tab'] as Tab;
      this.setData({ tab });
      void wx.setNavigationBarTitle({ title: tab === 'points' ? '积分规则' : '会员协议' });
    },
  },
});
