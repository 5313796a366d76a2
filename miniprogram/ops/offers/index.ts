import type { OfferReadout } from '../../../typings/api';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { intervalText, yuan } from '../../utils/format';
import { messageFor } from '../../utils/messages';

interface OfferRow {
  id: string;
  title: string;
  audienceText: string;
  runText: string;
  arms: { arm: string; label: string; members: number; returned: string; used: string; spend: string }[];
  uplift: string;
}

function readoutRow(r: OfferReadout): Pick<OfferRow, 'arms' | 'uplift' | 'runText'> {
  return {
    runText: r.run ? `${r.run.done ? '已发放' : '发放中'}：${r.run.issued} 人获得，${r.run.holdout} 人对照` : '',
    arms: r.arms.map((a) => ({
      arm: a.arm,
      label: a.arm === 'holdout' ? '对照组' : '活动组',
      members: a.members,
      returned: intervalText(a.returned7),
      used: intervalText(a.couponUsed),
      spend: a.spendPerMember ? yuan(Math.round(a.spendPerMember.estimate)) : '0',
    })),
    uplift: r.upliftReturned7 ? intervalText(r.upliftReturned7, true) : '',
  };
}

/** Targeted offers: the audience's size before sending, issuing (minus the holdout), and the result against the holdout. */
Component({
  behaviors: [remoteData],
  data: { offers: [] as OfferRow[], notice: '' },
  methods: {
    onShow() {
      return this.load();
    },
    load() {
      return this.request(api.ops.configDocs('offers'), (docs) => ({
        offers: docs.map((d) => ({ id: d.id, title: d.title, audienceText: '', runText: '', arms: [], uplift: '' })),
      }));
    },
    update(id: string, patch: Partial<OfferRow>) {
      this.setData({ offers: this.data.offers.map((o) => (o.id === id ? { ...o, ...patch } : o)) });
    },
    async onAudience(e: WechatMiniprogram.BaseEvent) {
      const id = String(e.currentTarget.dataset['id']);
      const reply = await api.ops.offerAudience(id);
      if (reply.ok)
        this.update(id, { audienceText: `当前符合条件 ${reply.data.members} 人，其中约 ${reply.data.holdoutPercent}% 作为对照组不发放` });
      else this.setData({ notice: messageFor(reply.code) });
    },
    async onIssue(e: WechatMiniprogram.BaseEvent) {
      const id = String(e.currentTarget.dataset['id']);
      const reply = await api.ops.issueOffer(id);
      if (!reply.ok) {
        this.setData({ notice: messageFor(reply.code) });
        return;
      }
      this.update(id, { runText: `${reply.data.done ? '已发放' : '发放中'}：${reply.data.issued} 人获得，${reply.data.holdout} 人对照` });
    },
    async onReadout(e: WechatMiniprogram.BaseEvent) {
      const id = String(e.currentTarget.dataset['id']);
      const reply = await api.ops.offerReadout(id);
      if (reply.ok) this.update(id, readoutRow(reply.data));
      else this.setData({ notice: messageFor(reply.code) });
    },
  },
});
