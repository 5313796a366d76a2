/**
 * What a remote-data page shows instead of its content: loading, the error with a retry
 * button (emits `retry`), or the empty message — never the empty message before the
 * first reply.
 */
Component({
  properties: {
    loading: { type: Boolean, value: true },
    error: { type: String, value: '' },
    empty: { type: Boolean, value: false },
    emptyText: { type: String, value: '暂无内容' },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry');
    },
  },
});
