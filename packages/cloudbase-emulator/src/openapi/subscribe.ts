import type { VersionedDatabase } from '../db/database';
import { newId } from '../db/documents';
import { checkFieldValue } from './fields';

export interface TemplateDefinition {
  key: string;
  id: string;
  title: string;
  /** Field key (e.g. `thing1`) → its type, derived from the key's letters. */
  fields: string[];
}

export interface OutboxMessage {
  _id: string;
  openid: string;
  templateId: string;
  page: string | null;
  data: Record<string, string>;
  miniprogramState: string;
  sentAt: Date;
}

export type WxReply = { errcode: number; errmsg: string; msgid?: string };

const CREDITS = 'emu_subscribe_credits';
const OUTBOX = 'emu_outbox';
export const SUBSCRIBE_COLLECTIONS = [CREDITS, OUTBOX];

/**
 * The WeChat side of one-time subscribe messages: consent credits granted by
 * `wx.requestSubscribeMessage` (simulated through /_emu/subscribe), template and field
 * checks, and an outbox of every accepted message.
 */
export class SubscribeMessages {
  constructor(
    private readonly db: VersionedDatabase,
    private readonly templates: TemplateDefinition[],
    private readonly pages: string[],
    private readonly now: () => Date,
  ) {}

  grant(openid: string, templateId: string): number | WxReply {
    if (!this.templates.some((t) => t.id === templateId)) return { errcode: 40037, errmsg: `invalid template_id ${templateId}` };
    const id = `${openid}:${templateId}`;
    const credits = this.credits(id) + 1;
    this.db.apply([{ collection: CREDITS, id, doc: { _id: id, openid, templateId, credits }, mode: 'put' }]);
    return credits;
  }

  send(params: Record<string, unknown>): WxReply {
    const openid = params['touser'];
    const templateId = params['template_id'];
    const page = params['page'];
    if (typeof openid !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(openid)) return { errcode: 40003, errmsg: 'invalid openid' };
    const template = this.templates.find((t) => t.id === templateId);
    if (!template || typeof templateId !== 'string') return { errcode: 40037, errmsg: 'invalid template_id' };
    if (
      page !== undefined &&
      (typeof page !== 'string' || (this.pages.length > 0 && !this.pages.includes(page.replace(/^\//, '').split('?')[0] ?? '')))
    ) {
      return { errcode: 41030, errmsg: 'invalid page' };
    }
    const data = params['data'];
    const values: Record<string, string> = {};
    for (const key of template.fields) {
      const entry = (data as Record<string, { value?: unknown }> | undefined)?.[key];
      const problem = checkFieldValue(key.replace(/\d+$/, ''), entry?.value);
      if (problem) return { errcode: 47003, errmsg: `argument invalid! data.${key}.value ${problem}` };
      values[key] = entry?.value as string;
    }
    const creditId = `${openid}:${templateId}`;
    const credits = this.credits(creditId);
    if (credits <= 0) return { errcode: 43101, errmsg: 'user refuse to accept the msg' };
    const messageId = newId();
    const message: OutboxMessage = {
      _id: messageId,
      openid,
      templateId,
      page: typeof page === 'string' ? page : null,
      data: values,
      miniprogramState: typeof params['miniprogram_state'] === 'string' ? params['miniprogram_state'] : 'formal',
      sentAt: this.now(),
    };
    this.db.apply([
      { collection: CREDITS, id: creditId, doc: { _id: creditId, openid, templateId, credits: credits - 1 }, mode: 'put' },
      { collection: OUTBOX, id: messageId, doc: { ...message }, mode: 'insert' },
    ]);
    return { errcode: 0, errmsg: 'ok', msgid: messageId };
  }

  outbox(openid?: string): OutboxMessage[] {
    const all = this.db.store.all(OUTBOX) as unknown as OutboxMessage[];
    return openid ? all.filter((m) => m.openid === openid) : all;
  }

  private credits(id: string): number {
    const doc = this.db.store.get(CREDITS, id);
    return typeof doc?.['credits'] === 'number' ? doc['credits'] : 0;
  }
}
