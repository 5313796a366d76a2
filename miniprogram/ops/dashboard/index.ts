import type { ArmReadout, DailyFigures, DashboardView } from '../../../typings/api';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { beijingTime, intervalText, yuan } from '../../utils/format';

/** The figures a day shows, in order, and how each reads. */
const FIGURES: { key: keyof DailyFigures; label: string; money?: boolean }[] = [
  { key: 'activeMembers', label: '活跃会员' },
  { key: 'checkins', label: '签到' },
  { key: 'newMembers', label: '新会员' },
  { key: 'returnedMembers', label: '回流会员' },
  { key: 'churnedMembers', label: '流失会员' },
  { key: 'redemptions', label: '积分兑换' },
  { key: 'writeOffs', label: '门店核销' },
  { key: 'purchases', label: '消费笔数' },
  { key: 'spend', label: '消费金额（元）', money: true },
  { key: 'pointsIssued', label: '发放积分' },
  { key: 'pointsRedeemed', label: '兑换积分' },
  { key: 'pointsExpired', label: '过期积分' },
];

const STAGES: Record<string, string> = { potential: '潜在', new: '新客', active: '活跃', sleeping: '沉睡', churned: '流失' };

/** Today's figure against the average of the 7 days before (days never counted are left out). */
function figureRows(view: DashboardView) {
  const before = view.previous.flatMap((p) => (p.figures ? [p.figures] : []));
  return FIGURES.map(({ key, label, money }) => {
    const today = Number(view.today?.[key] ?? 0);
    const average = before.length ? before.reduce((s, f) => s + Number(f[key]), 0) / before.length : null;
    const delta = average ? Math.round(((today - average) / average) * 100) : null;
    return {
      key,
      label,
      value: money ? yuan(today) : String(today),
      trend: delta === null || delta === 0 ? '' : delta > 0 ? 'up' : 'down',
      deltaText:
        average === null
          ? '前 7 天无数据'
          : `日均 ${money ? yuan(Math.round(average)) : average.toFixed(1)}${delta === null ? '' : ` · ${delta > 0 ? '+' : ''}${delta}%`}`,
    };
  });
}

/** The charts' data, as uCharts takes it. */
/** A funnel as uCharts takes it: one series of steps. */
const funnelSeries = (name: string, steps: [string, number][]) => [{ name, data: steps.map(([step, value]) => ({ name: step, value })) }];

function chartData(view: Pick<DashboardView, 'stages' | 'segments' | 'funnels'>) {
  const nights = view.stages.filter((n) => n.stages);
  const { checkin, reminders } = view.funnels;
  return {
    stageChart: {
      categories: nights.map((n) => n.day.slice(5)),
      series: Object.entries(STAGES).map(([stage, name]) => ({ name, data: nights.map((n) => n.stages?.[stage] ?? 0) })),
    },
    segmentChart: [{ name: '分群', data: Object.entries(view.segments).map(([name, value]) => ({ name, value })) }],
    checkinFunnel: funnelSeries('签到', [
      ['看到弹窗', checkin.shown],
      ['点击', checkin.tapped],
      ['签到', checkin.checkedIn],
      ['次日回访', checkin.returnedNextDay],
    ]),
    reminderFunnel: funnelSeries('提醒', [
      ['发送', reminders.sent],
      ['打开', reminders.opened],
      ['回访', reminders.returned],
    ]),
  };
}

/** A reminder experiment's arms as the dashboard lists them: 7-day returns with their 95 % interval, and the uplift over holdout. */
function experimentRows(r: { campaign: string; experimentId: string; arms: ArmReadout[] }) {
  return {
    key: `${r.campaign}:${r.experimentId}`,
    title: `${r.campaign} · ${r.experimentId}`,
    arms: r.arms.map((a) => ({
      arm: a.arm,
      text: `${a.assigned} 人 · 7日回访 ${intervalText(a.returned7)}${a.upliftReturned7 ? ` · 提升 ${intervalText(a.upliftReturned7, true)}` : ''}`,
    })),
  };
}

/** The operations center (运营, operators only): the day's figures against the week, and the charts. */
Component({
  behaviors: [remoteData],
  data: {
    day: '',
    updatedText: '',
    figures: [] as ReturnType<typeof figureRows>,
    stores: [] as { storeId: string; count: number }[],
    alerts: [] as { segment: string; text: string }[],
    experiments: [] as ReturnType<typeof experimentRows>[],
    stacked: { column: { type: 'stack', width: 12 } },
    ...chartData({
      stages: [],
      segments: {},
      funnels: { checkin: { shown: 0, tapped: 0, checkedIn: 0, returnedNextDay: 0 }, reminders: { sent: 0, opened: 0, returned: 0 } },
    }),
  },
  methods: {
    onLoad() {
      return this.load();
    },
    onLink(e: WechatMiniprogram.BaseEvent) {
      return wx.navigateTo({ url: String(e.currentTarget.dataset['url']) });
    },
    async load() {
      const loaded = await this.request(api.ops.dashboard(), (view) => ({
        day: view.day,
        updatedText: view.updatedAt ? `${beijingTime(view.updatedAt)} 更新` : '今日尚未统计',
        figures: figureRows(view),
        stores: Object.entries(view.today?.writeOffsByStore ?? {}).map(([storeId, count]) => ({ storeId, count })),
        alerts: view.alerts.map((a) => ({ segment: a.segment, text: `自 ${a.since} 参与率低于基线 ${Math.round(a.baseline * 100)}%` })),
        ...chartData(view),
        view,
      }));
      if (!loaded) return;
      const view = (this.data as unknown as { view: DashboardView }).view;
      const readouts = await Promise.all(view.experiments.map((e) => api.ops.experimentReadout(e.campaign, e.experimentId)));
      this.setData({ experiments: readouts.flatMap((r) => (r.ok ? [experimentRows(r.data)] : [])) });
    },
  },
});
