import { api } from '../../api/client';
import { paying } from '../../behaviors/paying';
import { remoteData } from '../../behaviors/remote-data';
import { ticking } from '../../behaviors/ticking';
import { countdownText } from '../../utils/format';
import { type GroupRow, dealRow, groupRow } from '../../utils/groups';
import { askForSubscriptions } from '../../utils/subscribe';

type Row = GroupRow & { endsAt: number; countdown: string };

/**
 * A deal: open a group as its leader (pay, then share it), or pick a friend's group still
 * looking for members. One request id per tap, kept only when the reply was lost.
 */
Component({
  behaviors: [remoteData, ticking, paying],
  data: {
    id: '',
    deal: null as ReturnType<typeof dealRow> | null,
    groups: [] as Row[],
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: query['id'] ?? '' });
      return this.load();
    },
    load() {
      const loadedAt = Date.now();
      return this.request(api.member.groupDeal(this.data.id), ({ deal, groups }) => ({
        deal: dealRow(deal),
        groups: groups.map((g) => ({ ...groupRow(g), endsAt: loadedAt + g.secondsLeft * 1000, countdown: countdownText(g.secondsLeft) })),
      }));
    },
    tick() {
      if (!this.data.groups.length) return;
      const now = Date.now();
      this.setData({ groups: this.data.groups.map((g) => ({ ...g, countdown: countdownText(Math.floor((g.endsAt - now) / 1000)) })) });
    },
    async onOpenGroup() {
      if (this.data.busy) return;
      // In the tap itself, before anything is awaited (WeChat shows the dialog only then).
      askForSubscriptions([this.data.deal?.resultTemplate ?? ''].filter(Boolean));
      const opened = await this.payThrough(
        (requestId) => api.member.openGroup(this.data.id, requestId),
        (group) => group.order,
      );
      if (opened) await wx.navigateTo({ url: `/deals/group/index?id=${opened.groupId}` });
    },
    onJoin(e: WechatMiniprogram.BaseEvent) {
      return wx.navigateTo({ url: `/deals/group/index?id=${String(e.currentTarget.dataset['id'])}` });
    },
    onShareAppMessage() {
      return {
        title: this.data.deal ? `${this.data.deal.title}，拼团价 ¥${this.data.deal.groupYuan}` : '拼团特惠',
        path: `/deals/detail/index?id=${this.data.id}`,
      };
    },
  },
});
