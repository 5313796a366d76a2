import type { WriteOffView } from '../../../typings/api';
import { api } from '../../api/client';
import { beijingTime, yuan } from '../../utils/format';
import { messageFor } from '../../utils/messages';

interface Row extends WriteOffView {
  time: string;
  discountText: string;
}

/** Today's write-offs at the staff member's store, latest first. */
Component({
  data: { day: '', storeId: '', rows: [] as Row[], totalText: '0', error: '' },
  methods: {
    async onShow() {
      const reply = await api.staff.history();
      if (!reply.ok) {
        this.setData({ error: messageFor(reply.code) });
        return;
      }
      const rows = reply.data.writeOffs.map((w) => ({
        ...w,
        time: beijingTime(w.at),
        discountText: yuan(w.discount),
      }));
      this.setData({ error: '', day: reply.data.day, storeId: reply.data.storeId, rows, totalText: yuan(reply.data.totalDiscount) });
    },
  },
});
