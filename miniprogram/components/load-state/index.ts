/**
 * What a remote-data page shows instead of its content: loading, the error with a retry
 * button (emits `retry`), or the empty message — never the empty message before the
 * first reply — with a way on (`actionText` to `actionUrl`; `actionTab` for a tab page).
 */
Component({
  properties: {
    loading: { type: Boolean, value: true },
    error: { type: String, value: '' },
    empty: { type: Boolean, value: false },
    emptyText: { type: String, value: '暂无内容' },
    /** The empty state's picture: a tdesign icon's name. */
    icon: { type: String, value: 'gift' },
    actionText: { type: String, value: '' },
    actionUrl: { type: String, value: '' },
    actionTab: { type: Boolean, value: false },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry');
    },
    onAction() {
      const url = this.data.actionUrl;
      return this.data.actionTab ? wx.switchTab({ url }) : wx.navigateTo({ url });
    },
  },
});
