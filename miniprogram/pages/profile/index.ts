import type { Profile } from '../../../typings/api';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { shortDay } from '../../utils/format';
import { messageFor } from '../../utils/messages';

/** `07-14` → `7月14日`. */
const monthDay = (md: string) => `${Number(md.slice(0, 2))}月${Number(md.slice(3))}日`;

/** Where a new avatar goes: avatars/ (the only folder the storage rules let a member write), a name no one else picks. */
const avatarPath = (local: string) =>
  `avatars/${Date.now()}-${Math.random().toString(36).slice(2, 10)}${/\.(png|jpe?g|webp)$/i.exec(local)?.[0]?.toLowerCase() ?? '.png'}`;

/**
 * 个人资料, the way WeChat now asks for it: the avatar from `open-type="chooseAvatar"`
 * (uploaded to cloud storage, the server keeps its fileID), the nickname from
 * `<input type="nickname">`, and the birthday — given once: after that it is shown, not
 * edited (an operator corrects mistakes), so the birthday pack cannot be farmed. Birthday
 * benefits start with a birthday at least `birthdayNoticeDays` after it was given: the page
 * says so, and names the first birthday with benefits while it is still ahead.
 */
Component({
  behaviors: [remoteData],
  data: { profile: null as Profile | null, nickname: '', birthday: '', birthdayText: '', benefitsFromText: '', saving: false, notice: '' },
  methods: {
    onLoad() {
      return this.load();
    },
    load() {
      return this.request(api.member.profile(), (profile) => this.fields(profile));
    },
    fields(profile: Profile) {
      return {
        profile,
        nickname: profile.nickname,
        birthday: profile.birthday ?? '',
        birthdayText: profile.birthday ? monthDay(profile.birthday) : '',
        benefitsFromText: profile.birthdayBenefitsFrom
          ? `${profile.birthdayBenefitsFrom.slice(0, 4)}年${shortDay(profile.birthdayBenefitsFrom)}`
          : '',
      };
    },
    async onChooseAvatar(e: { detail: { avatarUrl: string } }) {
      try {
        const uploaded = await wx.cloud.uploadFile({ cloudPath: avatarPath(e.detail.avatarUrl), filePath: e.detail.avatarUrl });
        await this.save({ avatar: uploaded.fileID });
      } catch {
        this.setData({ notice: '头像上传失败，请重试' });
      }
    },
    onNickname(e: WechatMiniprogram.Input) {
      this.setData({ nickname: e.detail.value });
    },
    onBirthday(e: { detail: { value: string } }) {
      const md = e.detail.value.slice(5);
      this.setData({ birthday: md, birthdayText: monthDay(md) });
    },
    onSave() {
      const edit: { nickname?: string; birthday?: string } = {};
      if (this.data.nickname.trim() && this.data.nickname !== this.data.profile?.nickname) edit.nickname = this.data.nickname.trim();
      if (this.data.birthday && !this.data.profile?.birthday) edit.birthday = this.data.birthday;
      if (!edit.nickname && !edit.birthday) {
        this.setData({ notice: '没有需要保存的修改' });
        return Promise.resolve();
      }
      return this.save(edit);
    },
    async save(edit: { nickname?: string; avatar?: string; birthday?: string }) {
      if (this.data.saving) return;
      this.setData({ saving: true, notice: '' });
      const reply = await api.member.updateProfile(edit);
      this.setData({ saving: false });
      if (!reply.ok) {
        this.setData({ notice: messageFor(reply.code) });
        return;
      }
      const wasComplete = this.data.profile?.profileComplete;
      this.setData({
        ...this.fields(reply.data),
        notice: reply.data.profileComplete && !wasComplete ? '资料已完善，去任务页领取奖励吧' : '已保存',
      });
    },
  },
});
