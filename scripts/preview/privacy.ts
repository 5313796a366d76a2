/**
 * WeChat's privacy authorization, as the preview plays it (docs/preview.md): a member who
 * has not agreed to the 隐私保护指引 and reaches a privacy API (the address book, the avatar
 * chooser) is asked first — through the page's `wx.onNeedPrivacyAuthorization` listener
 * (its popup answers agree or disagree), else by WeChat's own dialog. Agreement is kept per
 * identity, in this browser, as WeChat keeps it per user.
 */
type Answer = { event: 'agree' | 'disagree'; buttonId?: string };
type Listener = (resolve: (answer: Answer) => void) => void;

let listener: Listener | null = null;
let who: { openid: string } = { openid: '' };
const key = () => `preview.privacyAgreed.${who.openid}`;

export const privacy = {
  /** Whose agreement is asked: the preview's identity (client.ts). */
  use(identity: { openid: string }): void {
    who = identity;
  },
  listen(next: Listener): void {
    listener = next;
  },
  agreed: () => localStorage.getItem(key()) === 'yes',
  agree(): void {
    localStorage.setItem(key(), 'yes');
  },
  /** Resolves once the member has agreed; a refusal fails the API as WeChat fails it. */
  async require(api: string): Promise<void> {
    if (privacy.agreed()) return;
    const answer = listener
      ? await new Promise<Answer>((resolve) => listener?.(resolve))
      : { event: window.confirm('使用该功能前，请阅读并同意《MemberLoop 会员中心隐私保护指引》') ? 'agree' : 'disagree' };
    if (answer.event !== 'agree') throw { errMsg: `${api}:fail privacy permission is not authorized` };
    privacy.agree();
  },
};
