import type { Reply } from '../../typings/envelope';
import { messageFor } from '../utils/messages';
import { remoteData } from './remote-data';

/** One page of rows, already cut to what the view shows; `extra` is page data that comes with the first page. */
export interface RowsPage<Row> {
  rows: Row[];
  hasMore: boolean;
  extra?: Record<string, unknown>;
}

/** The page's source of rows. */
interface RowSource {
  fetchPage(page: number): Promise<Reply<RowsPage<unknown>>>;
}

/**
 * A paged list on a page: the first page through `remoteData` (loading, error with retry,
 * pull-down refresh), later pages on reaching the bottom, appended with path keys
 * (`rows[20]`…) so a page sends only its new rows, never the list again. A page defines
 * `fetchPage(page)` and calls `load()` (on show, or when its filter changes).
 */
export const pagedList = Behavior({
  behaviors: [remoteData],
  data: { rows: [] as unknown[], page: 0, hasMore: false, loadingMore: false, moreError: '' },
  methods: {
    load() {
      const source = this as unknown as RowSource;
      return this.request(source.fetchPage(0), (data) => ({
        ...data.extra,
        rows: data.rows,
        page: 0,
        hasMore: data.hasMore,
        moreError: '',
      }));
    },
    async onReachBottom() {
      if (!this.data.hasMore || this.data.loadingMore || this.data.loading) return;
      const next = this.data.page + 1;
      this.setData({ loadingMore: true });
      const reply = await (this as unknown as RowSource).fetchPage(next);
      if (!reply.ok) {
        this.setData({ loadingMore: false, moreError: messageFor(reply.code) });
        return;
      }
      const offset = this.data.rows.length;
      const appended = Object.fromEntries(reply.data.rows.map((row, i) => [`rows[${offset + i}]`, row]));
      this.setData({ ...appended, page: next, hasMore: reply.data.hasMore, loadingMore: false, moreError: '' });
    },
  },
});
