import type { ConfigHistoryView } from '../../../typings/api';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { beijingTime } from '../../utils/format';
import { messageFor } from '../../utils/messages';

/** One field of the form: its text, how to read it back, and the problem the server found in it. */
interface Field {
  key: string;
  text: string;
  kind: 'string' | 'number' | 'boolean' | 'json';
  multiline: boolean;
  problem: string;
}

const HIDDEN = new Set(['_id', 'version']);

/** The form's fields for a stored document; a rule set is one JSON field holding all that applies now (defaults included). */
function fieldsOf(collection: string, current: Record<string, unknown> | null, effective: Record<string, unknown> | null): Field[] {
  if (collection === 'config' || !current)
    return [{ key: '(fields)', text: JSON.stringify(effective ?? current ?? {}, null, 2), kind: 'json', multiline: true, problem: '' }];
  return Object.entries(current)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, value]) => {
      const kind =
        typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'json';
      const text = kind === 'json' ? JSON.stringify(value, null, 2) : String(value);
      return { key, text, kind, multiline: kind === 'json', problem: '' };
    });
}

/** The document the form holds, or the fields whose text cannot be read (JSON that does not parse). */
function docOf(fields: Field[], version: unknown): { doc: Record<string, unknown>; unreadable: string[] } {
  const doc: Record<string, unknown> = {};
  const unreadable: string[] = [];
  for (const f of fields) {
    let value: unknown = f.text;
    if (f.kind === 'number') value = f.text.trim() === '' || Number.isNaN(Number(f.text)) ? f.text : Number(f.text);
    else if (f.kind === 'boolean') value = f.text.trim() === 'true' ? true : f.text.trim() === 'false' ? false : f.text;
    else if (f.kind === 'json')
      try {
        value = JSON.parse(f.text);
      } catch {
        unreadable.push(f.key);
      }
    if (f.key === '(fields)' && value && typeof value === 'object') Object.assign(doc, value);
    else doc[f.key] = value;
  }
  if (version !== undefined && !('(fields)' in doc)) doc['version'] = version;
  return { doc, unreadable };
}

/**
 * Edits one operator-edited document: the same schema members are guarded by checks it
 * first (problems shown under their field, nothing saved), then it is saved as a new
 * version; every earlier version can be rolled back to.
 */
Component({
  behaviors: [remoteData],
  data: {
    collection: '',
    id: '',
    ready: false,
    editedOutside: false,
    version: undefined as unknown,
    fields: [] as Field[],
    versions: [] as { seq: number; note: string; by: string; at: string }[],
    busy: false,
    notice: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ collection: query['collection'] ?? '', id: query['id'] ?? '' });
      return this.load();
    },
    load() {
      return this.request(api.ops.configHistory(this.data.collection, this.data.id), (h: ConfigHistoryView) => ({
        ready: true,
        editedOutside: h.editedOutside,
        version: h.current?.['version'],
        fields: fieldsOf(this.data.collection, h.current, h.effective),
        versions: h.versions.map((v) => ({ seq: v.seq, note: v.note, by: v.by, at: beijingTime(v.at) })),
      }));
    },
    onField(e: WechatMiniprogram.Input) {
      const key = String(e.currentTarget.dataset['key']);
      this.setData({ fields: this.data.fields.map((f) => (f.key === key ? { ...f, text: e.detail.value, problem: '' } : f)) });
    },
    async onSave() {
      if (this.data.busy) return;
      const { doc, unreadable } = docOf(this.data.fields, this.data.version);
      if (unreadable.length) {
        this.setData({ fields: this.data.fields.map((f) => ({ ...f, problem: unreadable.includes(f.key) ? '不是有效的 JSON' : '' })) });
        return;
      }
      this.setData({ busy: true, notice: '' });
      const checked = await api.ops.saveConfig(this.data.collection, this.data.id, doc, true);
      if (!checked.ok) {
        this.setData({ busy: false, notice: messageFor(checked.code) });
        return;
      }
      if (checked.data.problems.length) {
        const problemFor = (key: string) =>
          checked.data.problems
            .filter(
              (p) =>
                key === '(fields)' || p.path === key || p.path.startsWith(`${key}.`) || (p.path === '' && key === this.data.fields[0]?.key),
            )
            .map((p) => (key === '(fields)' && p.path ? `${p.path}: ${p.message}` : p.message))
            .join('；');
        this.setData({
          busy: false,
          fields: this.data.fields.map((f) => ({ ...f, problem: problemFor(f.key) })),
          notice: '未保存：请修改标红的字段',
        });
        return;
      }
      const saved = await api.ops.saveConfig(this.data.collection, this.data.id, doc);
      this.setData({ busy: false, notice: saved.ok ? `已保存为版本 ${saved.data.version}` : messageFor(saved.code) });
      if (saved.ok) await this.load();
    },
    async onRollback(e: WechatMiniprogram.BaseEvent) {
      const seq = Number(e.currentTarget.dataset['seq']);
      const reply = await api.ops.rollbackConfig(this.data.collection, this.data.id, seq);
      this.setData({ notice: reply.ok ? `已回滚到版本 ${seq}（保存为版本 ${reply.data.version}）` : messageFor(reply.code) });
      if (reply.ok) await this.load();
    },
  },
});
