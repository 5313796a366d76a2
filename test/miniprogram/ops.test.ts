import assert from 'node:assert/strict';
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
