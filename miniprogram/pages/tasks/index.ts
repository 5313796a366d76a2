import type { TaskView } from '../../../typings/api';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { rewardText } from '../../utils/format';
import { messageFor } from '../../utils/messages';
import { TASK_WAYS, goDo } from '../../utils/tasks';

interface TaskItem extends TaskView {
  rewardText: string;
  /** A share or an invite: done from the share button here. */
  sharing: boolean;
  /** Where 去完成 leads for the rest (a tab page, or the profile). */
  way: string;
}

const GROUPS: { title: string; kinds: TaskView['kind'][] }[] = [
  { title: '新人任务', kinds: ['newbie'] },
  { title: '每日任务', kinds: ['daily', 'weekly'] },
  { title: '邀请好友', kinds: ['once'] },
];

/** Tasks: grouped daily / newbie / invite, with claim buttons and invite sharing. */
Component({
  behaviors: [remoteData],
  data: {
    notice: '',
    inviteCode: '',
    groups: [] as { title: string; tasks: TaskItem[] }[],
  },
  methods: {
    onShow() {
      return this.load();
    },
    load() {
      return this.request(api.member.tasks(), (data) => {
        const items = data.tasks.map((t) => ({
          ...t,
          rewardText: rewardText(t.reward),
          sharing: t.trigger === 'share' || t.trigger === 'invite_registered',
          way: TASK_WAYS[t.trigger],
        }));
        const groups = GROUPS.map((g) => ({ title: g.title, tasks: items.filter((t) => g.kinds.includes(t.kind)) })).filter(
          (g) => g.tasks.length > 0,
        );
        return { inviteCode: data.inviteCode, groups };
      });
    },
    async onClaim(e: WechatMiniprogram.CustomEvent) {
      const taskId = String(e.currentTarget.dataset['id'] ?? '');
      const reply = await api.member.claimTask(taskId);
      if (!reply.ok) {
        this.setData({ notice: messageFor(reply.code) });
        return;
      }
      this.setData({ notice: `领取成功：${rewardText(reply.data.reward)}` });
      await this.load();
    },
    /** 去完成: to where the task is done. */
    onGo(e: WechatMiniprogram.CustomEvent) {
      const task = this.data.groups.flatMap((g) => g.tasks).find((t) => t.id === e.currentTarget.dataset['id']);
      return task?.way ? goDo(task) : undefined;
    },
    onShareAppMessage() {
      void api.member.track({ event: 'share' });
      return { title: '一起来领会员福利，签到就送积分', path: `/pages/home/index?inviteCode=${this.data.inviteCode}` };
    },
  },
});
