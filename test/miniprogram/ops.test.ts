import assert from 'node:assert/strict';
import { newMember } from '../../core/member/registration';
import { emulatorPerFile } from '../helpers/emulator';
import { callThroughGateway, eventually, renderPage, text } from '../helpers/miniprogram';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const { member } = suite;

type Node = { instance: unknown; dom?: Element } | null | undefined;
type Page = ReturnType<typeof renderPage>;
const as = (page: Page) => page.instance as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
const chartOf = (page: Page, id: string) =>
  (page.querySelector(id) as Node)?.instance as { data: { series: { name: string; data: unknown[] }[] } };

describe('operations center page', () => {
  it('shows the day’s figures against the week before, and feeds its charts', async () => {
    emulator().setNow(new Date('2026-05-09T11:00:00+08:00'));
    for (const o of ['o-a', 'o-b']) await member(o, { action: 'checkin' });
    await emulator().fireTrigger('timer', 'tick');
    emulator().setNow(new Date('2026-05-10T11:00:00+08:00'));
    await member('o-a', { action: 'checkin' });
    await emulator().fireTrigger('timer', 'tick');

    callThroughGateway(emulator(), 'demo-operator');
    const page = renderPage('ops/dashboard/index');
    await as(page)['onLoad']!();
    await eventually(() => assert.match(text((page.querySelector('#figure-checkins') as Node) ?? {}), /签到\s*1\s*日均 1\.0/));
    assert.match(text((page.querySelector('#figure-activeMembers') as Node) ?? {}), /活跃会员\s*1/);
    assert.match(text(page), /2026-05-10/);
    await eventually(() => assert.equal(chartOf(page, '#chart-checkin-funnel').data.series[0]?.data.length, 4));
    assert.deepEqual(
      chartOf(page, '#chart-stages').data.series.map((s) => s.name),
      ['潜在', '新客', '活跃', '沉睡', '流失'],
    );
  });

  it('members and staff get the permission message', async () => {
    callThroughGateway(emulator(), 'demo-staff');
    const page = renderPage('ops/dashboard/index');
    await as(page)['onLoad']!();
    await eventually(() => assert.match(text(page), /没有权限/));
  });
});

type Input = { detail: { value: string }; currentTarget: { dataset: Record<string, string> } };
const input = (key: string, value: string): Input => ({ detail: { value }, currentTarget: { dataset: { key } } });
const tap = (node: Node) => (node!.instance as { handleTap(e: object): void }).handleTap({});

describe('operations center: editors, offers, staff', () => {
  it('an edited task shows to members at once; a bad value is shown at its field and nothing is saved; the old version comes back', async () => {
    callThroughGateway(emulator(), 'demo-operator');
    const editor = renderPage('ops/editor/index');
    await as(editor)['onLoad']!({ collection: 'tasks', id: 'daily-checkin' });
    await eventually(() => assert.ok(editor.querySelector('#field-title')));
    as(editor)['onField']!(input('target', '-1'));
    tap(editor.querySelector('#save') as Node);
    await eventually(() => assert.match(text((editor.querySelector('#problem-target') as Node) ?? {}), /1/));
    assert.match(text((editor.querySelector('#notice') as Node) ?? {}), /未保存/);
    assert.equal(emulator().store.all('configHistory').length, 0, 'nothing saved');
    as(editor)['onField']!(input('target', '1'));
    as(editor)['onField']!(input('title', '每日打卡'));
    tap(editor.querySelector('#save') as Node);
    await eventually(() => assert.match(text((editor.querySelector('#notice') as Node) ?? {}), /已保存为版本 2/));
    const seen = async () => {
      const reply = await member('o-reader', { action: 'tasks' });
      return reply.ok ? reply.data.tasks.find((t) => t.id === 'daily-checkin')?.title : null;
    };
    assert.equal(await seen(), '每日打卡');
    await eventually(() => assert.ok(editor.querySelector('#rollback-1')));
    tap(editor.querySelector('#rollback-1') as Node);
    await eventually(() => assert.match(text((editor.querySelector('#notice') as Node) ?? {}), /已回滚到版本 1/));
    assert.equal(await seen(), '每日签到');
  });

  it('a rule set opens with what applies now, defaults included', async () => {
    callThroughGateway(emulator(), 'demo-operator');
    const editor = renderPage('ops/editor/index');
    await as(editor)['onLoad']!({ collection: 'config', id: 'tiers' });
    await eventually(() =>
      assert.match(
        String((editor.instance as unknown as { data: { fields: { text: string }[] } }).data.fields[0]?.text),
        /"protectionDays": 30/,
      ),
    );
  });

  it('a targeted 满减 offer: audience size, issue minus holdout, readout', async () => {
    emulator().setNow(new Date('2026-05-10T10:00:00+08:00'));
    // 40 registered members the nightly pass tagged price-sensitive.
    for (let i = 0; i < 40; i++) {
      const openid = `o-p${i}`;
      emulator().store.write('members', openid, {
        ...newMember(openid, null, emulator().clock.now(), `P${String(i).padStart(7, '0')}`),
        tags: ['price_sensitive'],
      } as never);
    }
    callThroughGateway(emulator(), 'demo-operator');
    const page = renderPage('ops/offers/index');
    await as(page)['onShow']!();
    await eventually(() => assert.ok(page.querySelector('#offer-price-sensitive-manjian')));
    tap(page.querySelector('#audience-price-sensitive-manjian') as Node);
    await eventually(() => assert.match(text((page.querySelector('#offer-price-sensitive-manjian') as Node) ?? {}), /当前符合条件 40 人/));
    tap(page.querySelector('#issue-price-sensitive-manjian') as Node);
    await eventually(() =>
      assert.match(text((page.querySelector('#offer-price-sensitive-manjian') as Node) ?? {}), /已发放：\d+ 人获得，\d+ 人对照/),
    );
    tap(page.querySelector('#readout-price-sensitive-manjian') as Node);
    await eventually(() =>
      assert.match(text((page.querySelector('#offer-price-sensitive-manjian') as Node) ?? {}), /活动组 \d+ 人.*对照组 \d+ 人/),
    );
  });

  it('staff made from a member code, listed, revoked', async () => {
    await member('o-clerk', { action: 'home' });
    const memberCode = await member('o-clerk', { action: 'memberCode' });
    callThroughGateway(emulator(), 'demo-operator');
    const page = renderPage('ops/staff/index');
    await as(page)['onShow']!();
    as(page)['onCode']!({ detail: { value: memberCode.ok ? String(memberCode.data.code) : '' } });
    tap(page.querySelector('#make-staff') as Node);
    await eventually(() => assert.match(text((page.querySelector('#notice') as Node) ?? {}), /已设为 demo-store-1 的店员/));
    await eventually(() => assert.ok(page.querySelector('#revoke-o-clerk')));
    tap(page.querySelector('#revoke-o-clerk') as Node);
    await eventually(() => assert.match(text((page.querySelector('#notice') as Node) ?? {}), /已撤销/));
    assert.equal(emulator().store.get('roles', 'o-clerk'), undefined);
  });
});
