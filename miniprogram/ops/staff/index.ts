import type { RoleChangeView } from '../../../typings/api';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { beijingTime } from '../../utils/format';
import { messageFor } from '../../utils/messages';

const roleText = (r: RoleChangeView['to']) => (r ? `${r.role === 'staff' ? '店员' : '运营'}${r.storeId ? `（${r.storeId}）` : ''}` : '无');

/** Operators make a member staff by scanning the 会员码 on their phone, and take it away; every change is listed. */
Component({
  behaviors: [remoteData],
  data: {
    code: '',
    storeId: 'demo-store-1',
    reason: '新店员入职',
    busy: false,
    notice: '',
    changes: [] as { key: string; openid: string; who: string; what: string; by: string; at: string; reason: string; canRevoke: boolean }[],
  },
  methods: {
    onShow() {
      return this.load();
    },
    load() {
      return this.request(api.ops.roleChanges(), (changes) => {
        const latest = new Set<string>();
        return {
          changes: changes.map((c, i) => {
            const first = !latest.has(c.openid);
            latest.add(c.openid);
            return {
              key: `${c.openid}:${i}`,
              openid: c.openid,
              who: c.openid,
              what: `${roleText(c.from)} → ${roleText(c.to)}`,
              by: c.by,
              at: beijingTime(c.at),
              reason: c.reason,
              canRevoke: first && c.to?.role === 'staff',
            };
          }),
        };
      });
    },
    onCode(e: WechatMiniprogram.Input) {
      this.setData({ code: e.detail.value });
    },
    onStore(e: WechatMiniprogram.Input) {
      this.setData({ storeId: e.detail.value });
    },
    onReason(e: WechatMiniprogram.Input) {
      this.setData({ reason: e.detail.value });
    },
    async onScan() {
      try {
        const scanned = await wx.scanCode({ onlyFromCamera: false });
        this.setData({ code: scanned.result });
      } catch {
        // Closed without a code: nothing to do.
      }
    },
    async onMakeStaff() {
      if (this.data.busy || !this.data.code) return;
      this.setData({ busy: true, notice: '' });
      const reply = await api.ops.setStaff(this.data.code, this.data.storeId, this.data.reason);
      this.setData({
        busy: false,
        code: reply.ok ? '' : this.data.code,
        notice: reply.ok ? `已设为 ${this.data.storeId} 的店员` : messageFor(reply.code),
      });
      if (reply.ok) await this.load();
    },
    async onRevoke(e: WechatMiniprogram.BaseEvent) {
      const reply = await api.ops.revokeStaff(String(e.currentTarget.dataset['openid']), '运营撤销');
      this.setData({ notice: reply.ok ? '已撤销店员权限' : messageFor(reply.code) });
      if (reply.ok) await this.load();
    },
  },
});
