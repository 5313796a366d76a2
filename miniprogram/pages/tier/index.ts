import type { TierView } from '../../../typings/api';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { beijingDate, yuan } from '../../utils/format';

/** 95 → 9.5折; 100 → 无折扣. */
const discountText = (percent: number) => (percent >= 100 ? '无折扣' : `${percent / 10}折`);

/**
 * 会员等级: the member's tier, what is left to spend for the next one, the benefits, what
 * each tier gives, and every move so far. All figures come from the server (`tier`).
 */
Component({
  behaviors: [remoteData],
  data: {
    view: null as TierView | null,
    spendText: '',
    progress: 100,
    nextText: '',
    benefitText: '',
    rows: [] as { tier: string; name: string; threshold: string; discount: string; multiplier: string; current: boolean }[],
    moves: [] as { text: string; date: string }[],
    names: {} as Record<string, string>,
  },
  methods: {
    onLoad() {
      return this.load();
    },
    load() {
      return this.request(api.member.tier(), (view) => {
        const names = Object.fromEntries(view.tiers.map((t) => [t.tier, t.name]));
        const target = view.next ? view.qualifyingSpend + view.next.toGo : view.qualifyingSpend;
        return {
          view,
          names,
          spendText: `近${view.windowMonths}个月消费 ${yuan(view.qualifyingSpend)} 元`,
          progress: target > 0 ? Math.min(100, Math.floor((view.qualifyingSpend / target) * 100)) : 100,
          nextText: view.next ? `再消费 ${yuan(view.next.toGo)} 元升级${view.next.name}` : '已是最高等级',
          benefitText: [
            discountText(view.benefits.pricePercent),
            `积分 ×${view.benefits.pointsMultiplier}`,
            view.benefits.birthdayPack ? '生日礼包' : '',
            view.benefits.memberDay ? '会员日' : '',
          ]
            .filter(Boolean)
            .join(' · '),
          rows: view.tiers.map((t) => ({
            tier: t.tier,
            name: t.name,
            threshold: t.threshold === 0 ? '注册即得' : `满 ${yuan(t.threshold)} 元`,
            discount: discountText(t.pricePercent),
            multiplier: `×${t.pointsMultiplier}`,
            current: t.tier === view.tier,
          })),
          moves: view.history.map((h) => ({
            text: `${names[h.from] ?? h.from} → ${names[h.to] ?? h.to}（消费 ${yuan(h.qualifyingSpend)} 元）`,
            date: beijingDate(h.at),
          })),
        };
      });
    },
  },
});
