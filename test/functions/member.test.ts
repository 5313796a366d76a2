import assert from 'node:assert/strict';
import type { Emulator } from 'cloudbase-emulator';
import type { Profile } from '../../typings/api';
import type { Reply } from '../../typings/envelope';
import { callFunction, emulatorForThisFile } from '../helpers/emulator';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await emulatorForThisFile();
});
beforeEach(() => emulator.reset());

const home = (openid: string | undefined, extra: Record<string, unknown> = {}) =>
  callFunction<Reply<Profile>>(emulator, 'member', { action: 'home', ...extra }, openid);
const memberCount = () => emulator.store.count('members');

describe('member.home', () => {
  it('registers the caller on the first call and only then', async () => {
    const first = await home('o-alice');
    const second = await home('o-alice');
    assert.ok(first.body.ok && second.body.ok);
    assert.equal(first.body.data.isNew, true);
    assert.equal(second.body.data.isNew, false);
    assert.deepEqual({ ...first.body.data, isNew: false }, second.body.data);
    assert.equal(first.body.data.openid, 'o-alice');
    assert.equal(first.body.data.tier, 'bronze');
    assert.equal(first.body.data.points, 0);
    assert.equal(memberCount(), 1);
  });

  it('records the Beijing business day of registration, not the UTC one', async () => {
    emulator.setNow(new Date('2026-03-01T16:30:00Z')); // 00:30 on 2 March in Beijing
    await home('o-night-owl');
    assert.equal(emulator.store.get('members', 'o-night-owl')?.['registeredDay'], '2026-03-02');
  });

  it('100 concurrent first calls by 100 people register exactly 100 members', async () => {
    const openids = Array.from({ length: 100 }, (_, i) => `o-crowd-${i}`);
    const replies = await Promise.all(openids.map((o) => home(o)));
    assert.ok(replies.every((r) => r.body.ok && r.body.data.isNew));
    assert.equal(memberCount(), 100);
    assert.deepEqual(new Set(replies.map((r) => (r.body.ok ? r.body.data.openid : ''))), new Set(openids));
  });

  it('20 concurrent first calls by one person register one member, exactly one of them as new', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, () => home('o-eager')));
    assert.ok(replies.every((r) => r.body.ok));
    assert.equal(replies.filter((r) => r.body.ok && r.body.data.isNew).length, 1);
    assert.equal(memberCount(), 1);
  });

  it('identity comes from WXContext: a userInfo claim in the event is ignored', async () => {
    const reply = await home('o-real', { userInfo: { openId: 'o-victim', appId: 'wx-other' } });
    assert.ok(reply.body.ok);
    assert.equal(reply.body.data.openid, 'o-real');
    assert.equal(emulator.store.get('members', 'o-victim'), undefined);
  });

  it('an identity field in the event is rejected as INVALID_INPUT and writes nothing', async () => {
    const reply = await home('o-real', { openid: 'o-victim' });
    assert.deepEqual(reply.body.ok ? null : reply.body.code, 'INVALID_INPUT');
    assert.equal(memberCount(), 0);
  });

  it('a call without WXContext identity is UNAUTHENTICATED and writes nothing', async () => {
    const reply = await home(undefined);
    assert.equal(reply.body.ok ? null : reply.body.code, 'UNAUTHENTICATED');
    assert.equal(memberCount(), 0);
  });

  it('returns the role operators gave the caller', async () => {
    const staff = await home('demo-staff');
    const operator = await home('demo-operator');
    assert.deepEqual(staff.body.ok && staff.body.data.role, { role: 'staff', storeId: 'demo-store-1', storeName: 'MemberLoop 旗舰店' });
    assert.deepEqual(operator.body.ok && operator.body.data.role, { role: 'operator' });
  });
});

describe('member.profile', () => {
  it('shows the profile without counting a visit: no last-seen move, no visit funnel, no open', async () => {
    emulator.setNow(new Date('2026-03-10T02:00:00Z'));
    await home('o-reader');
    const seen = emulator.store.get('members', 'o-reader')?.['lastSeenAt'];
    emulator.setNow(new Date('2026-03-11T02:00:00Z'));
    const reply = await callFunction<Reply<Profile>>(emulator, 'member', { action: 'profile' }, 'o-reader');
    assert.ok(reply.body.ok && reply.body.data.openid === 'o-reader' && reply.body.data.welcomeBack === null);
    assert.deepEqual(emulator.store.get('members', 'o-reader')?.['lastSeenAt'], seen);
    assert.equal((emulator.store.get('activity', 'o-reader:2026-03')?.['days'] as Record<string, unknown> | undefined)?.['11'], undefined);
  });

  it('refuses any input', async () => {
    const reply = await callFunction<Reply<Profile>>(emulator, 'member', { action: 'profile', openid: 'o-other' }, 'o-reader');
    assert.equal(!reply.body.ok && reply.body.code, 'INVALID_INPUT');
  });
});

describe('member function input', () => {
  const bad: [string, unknown, string][] = [
    ['an unknown action', { action: 'becomeGold' }, 'UNKNOWN_ACTION'],
    ['a prototype key as action', { action: 'constructor' }, 'UNKNOWN_ACTION'],
    ['a missing action', {}, 'INVALID_INPUT'],
    ['an action of the wrong type', { action: 42 }, 'INVALID_INPUT'],
    ['an overlong action', { action: 'x'.repeat(100) }, 'INVALID_INPUT'],
    ['an event that is not an object', ['home'], 'INVALID_INPUT'],
    ['extra fields', { action: 'home', points: 1_000_000 }, 'INVALID_INPUT'],
  ];
  for (const [name, event, code] of bad) {
    it(`${name} is ${code} and writes nothing`, async () => {
      const reply = await callFunction<Reply<unknown>>(emulator, 'member', event, 'o-tester');
      assert.equal(reply.status, 200);
      assert.equal(reply.body.ok, false);
      assert.equal(reply.body.ok ? null : reply.body.code, code);
      assert.equal(memberCount(), 0);
    });
  }
});
