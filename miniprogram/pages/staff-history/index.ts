import type { StoreDay, WriteOffView } from '../../../typings/api';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { beijingTime, yuan } from '../../utils/format';

const REASONS: Record<StoreDay['failedAttempts'][number]['reason'], string> = {
  malformed: '格式错误',
  unknown: '券不存在',
  wrong: '券码错误',
  locked: '券已锁定',
};

/** What a write-off row shows. */
const toRow = (w: WriteOffView) => ({
  couponId: w.couponId,
  title: w.title,
  memberNickname: w.memberNickname,
  staff: w.staff,
  time: beijingTime(w.at),
  discountText: yuan(w.discount),
});

/** A day's write-offs at the staff member's store (today unless another day is picked), and the codes that failed. */
Component({
  behaviors: [remoteData],
  data: {
    day: '',
    today: '',
    storeName: '',
    rows: [] as ReturnType<typeof toRow>[],
    totalText: '0',
    failures: [] as { at: string; reason: string; staff: string }[],
  },
  methods: {
    onShow() {
      return this.load();
    },
    load() {
      return this.request(api.staff.history(this.data.day || undefined), (d) => ({
        day: d.day,
        today: this.data.today || d.day,
        storeName: d.storeName,
        rows: d.writeOffs.map(toRow),
        totalText: yuan(d.totalDiscount),
        failures: d.failedAttempts.map((f) => ({ at: beijingTime(f.at), reason: REASONS[f.reason], staff: f.staff })),
      }));
    },
    onDay(e: WechatMiniprogram.PickerChange) {
      this.setData({ day: String(e.detail.value) });
      return this.load();
    },
  },
});
