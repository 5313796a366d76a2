import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';

/** What operators configure, by collection (`config`: the rule sets). */
const COLLECTIONS = [
  { key: 'tasks', label: '任务' },
  { key: 'mallItems', label: '商品' },
  { key: 'couponTemplates', label: '券模板' },
  { key: 'config', label: '规则（等级、提醒、实验…）' },
  { key: 'groupDeals', label: '拼团' },
  { key: 'bargainDeals', label: '砍价' },
  { key: 'offers', label: '定向活动' },
];

/** The documents operators edit, by kind; tap one to edit it (history and rollback there). */
Component({
  behaviors: [remoteData],
  data: { collections: COLLECTIONS, collection: 'tasks', docs: [] as { id: string; title: string; stored: boolean }[] },
  methods: {
    onShow() {
      return this.load();
    },
    load() {
      return this.request(api.ops.configDocs(this.data.collection), (docs) => ({ docs }));
    },
    onCollection(e: WechatMiniprogram.BaseEvent) {
      this.setData({ collection: String(e.currentTarget.dataset['key']), docs: [] });
      return this.load();
    },
    onOpen(e: WechatMiniprogram.BaseEvent) {
      return wx.navigateTo({ url: `/ops/editor/index?collection=${this.data.collection}&id=${String(e.currentTarget.dataset['id'])}` });
    },
  },
});
