import assert from 'node:assert/strict';
import { currentCode } from '../../core/mall/code';
import { newMember } from '../../core/member/registration';
import type { Reply } from '../../typings/envelope';
import type { ActionName } from '../../typings/api';
import { emulatorPerFile } from '../helpers/emulator';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const { member, call } = suite;

const NOW = new Date('2026-03-10T06:00:00Z');
const code = (reply: Reply<unknown>) => (reply.ok ? 'ok' : reply.code);
// biome-ignore lint/suspicious/noExplicitAny: documents as stored, read field by field
const doc = (collection: string, id: string) => emulator().store.get(collection, id) as Record<string, any> | undefined;
const staff = <A extends ActionName<'staff'>>(openid: string, event: { action: A } & Record<string, unknown>) =>
  call('staff', openid, event);

/** A member with points who redeemed `itemId`; returns the coupon id. */
async function couponOf(openid: string, itemId = 'coupon-100-minus-20'): Promise<string> {
  emulator().setNow(NOW);
  emulator().store.write('members', openid, { ...newMember(openid, null, NOW, `I${openid}`), nickname: '张三丰', points: 1000 } as never);
  const reply = await member(openid, { action: 'redeem', itemId, requestId: `req-${openid}-${itemId}` });
  assert.ok(reply.ok && reply.data.couponId, JSON.stringify(reply));
  return reply.data.couponId;
}

async function tillCode(openid: string, couponId: string): Promise<string> {
  const reply = await member(openid, { action: 'couponCode', couponId });
  assert.ok(reply.ok && reply.data.code, JSON.stringify(reply));
  return reply.data.code;
}

function addStaff(openid: string, storeId: string) {
  emulator().store.write('roles', openid, { _id: openid, role: 'staff', storeId, name: openid } as never);
}

describe('store write-off', () => {
  it('staff preview a code, write it off once, and the audit entry is kept', async () => {
    const couponId = await couponOf('o-ann');
    const till = await tillCode('o-ann', couponId);
    assert.match(till, /^\d{14}$/);
    const preview = await staff('demo-staff', { action: 'preview', code: till });
    assert.ok(preview.ok, JSON.stringify(preview));
    assert.deepEqual(
      [preview.data.couponId, preview.data.ruleText, preview.data.memberNickname, preview.data.needsAmount, preview.data.problem],
      [couponId, '满100减20', '张**', true, null],
    );

    const done = await staff('demo-staff', { action: 'writeOff', code: till, orderAmount: 12_800 });
    assert.ok(done.ok, JSON.stringify(done));
    assert.deepEqual([done.data.discount, done.data.storeId, done.data.staff], [2000, 'demo-store-1', 'demo-staff']);
    assert.equal(code(await staff('demo-staff', { action: 'writeOff', code: till, orderAmount: 12_800 })), 'COUPON_ALREADY_USED');

    const audit = doc('writeOffs', couponId);
    assert.deepEqual(
      [audit?.['staff'], audit?.['storeId'], audit?.['orderAmount'], audit?.['discount'], audit?.['openid']],
      ['demo-staff', 'demo-store-1', 12_800, 2000, 'o-ann'],
    );
    assert.equal(doc('coupons', couponId)?.['status'], 'used');
    const wallet = await member('o-ann', { action: 'myCoupons', state: 'used' });
    assert.ok(wallet.ok && wallet.data.coupons[0]?.id === couponId);

    const today = await staff('demo-staff', { action: 'history' });
    assert.ok(today.ok);
    assert.deepEqual([today.data.writeOffs.map((w) => w.couponId), today.data.totalDiscount], [[couponId], 2000]);
    assert.deepEqual(today.data.staffNames, { 'demo-staff': '演示店员' }, 'staff by name, never by id');
    const report = await call('ops', 'demo-operator', { action: 'writeOffs', day: '2026-03-10', storeId: 'demo-store-1' });
    assert.ok(report.ok && report.data.length === 1 && report.data[0]?.memberNickname === '张**');
  });

  it('a write-off on a day the member has not opened the app is their activity that day: the day moves with the write-off', async () => {
    const couponId = await couponOf('o-visit');
    emulator().setNow(new Date('2026-03-11T06:00:00Z'));
    const till = await tillCode('o-visit', couponId);
    const before = doc('members', 'o-visit')!;
    assert.equal(before['lastActiveDay'], '2026-03-10', 'the redemption was their last activity');
    assert.equal(code(await staff('demo-staff', { action: 'writeOff', code: till, orderAmount: 12_800 })), 'ok');
    const m = doc('members', 'o-visit')!;
    assert.deepEqual([m['lastActiveDay'], m['activeDays']], ['2026-03-11', before['activeDays'] + 1]);
    assert.deepEqual(doc('activity', 'o-visit:2026-03')?.['days']['11'], { writeOff: 1, spend: 12_800 });
  });

  it('two staff confirming the same code at once: one succeeds, the other reads COUPON_ALREADY_USED', async () => {
    const couponId = await couponOf('o-bob');
    const till = await tillCode('o-bob', couponId);
    const counters = Array.from({ length: 6 }, (_, i) => `staff-${i}`);
    for (const s of counters) addStaff(s, 'demo-store-1');
    const replies = await Promise.all(counters.map((s) => staff(s, { action: 'writeOff', code: till, orderAmount: 20_000 })));
    assert.deepEqual(replies.map(code).sort(), [
      'COUPON_ALREADY_USED',
      'COUPON_ALREADY_USED',
      'COUPON_ALREADY_USED',
      'COUPON_ALREADY_USED',
      'COUPON_ALREADY_USED',
      'ok',
    ]);
    assert.equal(emulator().store.all('writeOffs').length, 1);
  });

  it('a code works for its minute and the next, never after; it names only its own coupon', async () => {
    const couponId = await couponOf('o-cat');
    const other = await couponOf('o-dan');
    const till = await tillCode('o-cat', couponId);
    await emulator().advance(60_000);
    assert.equal(code(await staff('demo-staff', { action: 'preview', code: till })), 'ok');
    await emulator().advance(60_000);
    assert.equal(code(await staff('demo-staff', { action: 'preview', code: till })), 'COUPON_CODE_INVALID');
    const fresh = await tillCode('o-cat', couponId);
    const otherFresh = await tillCode('o-dan', other);
    assert.equal(code(await staff('demo-staff', { action: 'preview', code: couponId + otherFresh.slice(8) })), 'COUPON_CODE_INVALID');
    for (const bad of ['', '12', 'abcdefghijklmn', `${fresh}0`, '00000000000000']) {
      assert.ok(
        ['COUPON_CODE_INVALID', 'INVALID_INPUT'].includes(
          code(await staff('demo-staff', { action: 'writeOff', code: bad, orderAmount: 20_000 })),
        ),
        bad,
      );
    }
    assert.equal(
      code(await staff('demo-staff', { action: 'writeOff', code: fresh.replace(/(\d{4})(\d{4})/, '$1 $2 '), orderAmount: 20_000 })),
      'ok',
    );
  });

  it('store restriction, threshold, order amount and validity are enforced, with no write', async () => {
    const flagshipOnly = await couponOf('o-eve', 'coupon-85-off');
    addStaff('staff-other', 'demo-store-2');
    const till = await tillCode('o-eve', flagshipOnly);
    const preview = await staff('staff-other', { action: 'preview', code: till });
    assert.ok(preview.ok && preview.data.problem === 'COUPON_WRONG_STORE');
    assert.equal(code(await staff('staff-other', { action: 'writeOff', code: till, orderAmount: 10_000 })), 'COUPON_WRONG_STORE');
    const at85 = await staff('demo-staff', { action: 'writeOff', code: till, orderAmount: 10_000 });
    assert.ok(at85.ok && at85.data.discount === 1500, '8.5折 of 100元 takes 15元');

    const threshold = await couponOf('o-fay');
    const tillF = await tillCode('o-fay', threshold);
    assert.equal(code(await staff('demo-staff', { action: 'writeOff', code: tillF, orderAmount: 9_999 })), 'COUPON_CONDITION_UNMET');
    assert.equal(code(await staff('demo-staff', { action: 'writeOff', code: tillF })), 'COUPON_CONDITION_UNMET');
    assert.equal(doc('coupons', threshold)?.['status'], 'unused');

    emulator().setNow(new Date(NOW.getTime() + 31 * 86_400_000));
    const coupon = doc('coupons', threshold)!;
    const late = currentCode(threshold, coupon['secret'], emulator().clock.now()).code;
    assert.equal(code(await staff('demo-staff', { action: 'writeOff', code: late, orderAmount: 20_000 })), 'COUPON_EXPIRED');
    assert.equal(code(await member('o-fay', { action: 'couponCode', couponId: threshold })), 'COUPON_EXPIRED');
    assert.equal(emulator().store.all('writeOffs').length, 1);
  });

  it('members, operators and forged roles cannot write off; nobody sees another member’s coupon', async () => {
    const couponId = await couponOf('o-gus');
    const till = await tillCode('o-gus', couponId);
    assert.equal(code(await staff('o-gus', { action: 'writeOff', code: till, orderAmount: 20_000 })), 'FORBIDDEN');
    assert.equal(code(await staff('demo-operator', { action: 'preview', code: till })), 'FORBIDDEN');
    // The role is checked before the input: the forged fields are never even read (#12 item 9).
    assert.equal(
      code(await staff('o-gus', { action: 'writeOff', code: till, orderAmount: 20_000, role: 'staff', storeId: 'demo-store-1' })),
      'FORBIDDEN',
    );
    assert.equal(
      code(await staff('demo-staff', { action: 'writeOff', code: till, orderAmount: 20_000, role: 'staff', storeId: 'demo-store-1' })),
      'INVALID_INPUT',
    );
    assert.equal(code(await staff('demo-staff', { action: 'writeOff', code: till, orderAmount: -100 })), 'INVALID_INPUT');
    assert.equal(code(await staff('demo-staff', { action: 'writeOff', code: till, orderAmount: 10.5 })), 'INVALID_INPUT');
    assert.equal(code(await member('o-hal', { action: 'couponCode', couponId })), 'NOT_FOUND');
    assert.equal(code(await member('o-hal', { action: 'coupon', couponId })), 'NOT_FOUND');
    assert.equal(doc('coupons', couponId)?.['status'], 'unused');
  });
});

describe('guessing till codes', () => {
  /** The coupon's code with its password made wrong: a guess against a known serial. */
  const wrongCode = (couponId: string) => {
    const right = currentCode(couponId, doc('coupons', couponId)?.['secret'], emulator().clock.now()).code;
    return couponId + String((Number(right.slice(8)) + 1) % 1_000_000).padStart(6, '0');
  };
  const guard = (fields: Record<string, number>) =>
    emulator().database.apply([{ collection: 'config', id: 'codeGuard', doc: { _id: 'codeGuard', ...fields }, mode: 'put' }]);
  const failures = () => emulator().store.all('codeFailures');

  it('five wrong codes lock the coupon: even the right code is refused, the member sees the lock, then a fresh code works', async () => {
    const couponId = await couponOf('o-gil');
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(code(await staff('demo-staff', { action: 'preview', code: wrongCode(couponId) })));
    assert.deepEqual(replies, [
      'COUPON_CODE_INVALID',
      'COUPON_CODE_INVALID',
      'COUPON_CODE_INVALID',
      'COUPON_CODE_INVALID',
      'COUPON_LOCKED',
    ]);
    const right = currentCode(couponId, doc('coupons', couponId)?.['secret'], emulator().clock.now()).code;
    assert.equal(code(await staff('demo-staff', { action: 'writeOff', code: right, orderAmount: 20_000 })), 'COUPON_LOCKED');
    assert.deepEqual(
      failures()
        .map((f) => f['reason'])
        .sort(),
      ['locked', 'wrong', 'wrong', 'wrong', 'wrong', 'wrong'],
    );
    assert.ok(failures().every((f) => f['staff'] === 'demo-staff' && f['storeId'] === 'demo-store-1' && f['couponId'] === couponId));

    const alerts = await call('ops', 'demo-operator', {
      action: 'alerts',
      from: '2026-03-10',
      to: '2026-03-10',
    });
    assert.ok(alerts.ok);
    assert.deepEqual(
      alerts.data.alerts.map((a) => [a.kind, a.kind === 'couponLocked' ? a.couponId : null]),
      [['couponLocked', couponId]],
    );
    const history = await staff('demo-staff', { action: 'history' });
    assert.ok(history.ok && history.data.failedAttempts.length === 6);

    const during = await member('o-gil', { action: 'couponCode', couponId });
    assert.ok(during.ok && during.data.code === null && during.data.lockedUntil);
    assert.equal(during.data.refreshAt, during.data.lockedUntil, 'the app fetches again when the lock ends');
    await emulator().advance(15 * 60_000);
    const fresh = await tillCode('o-gil', couponId);
    assert.equal(code(await staff('demo-staff', { action: 'writeOff', code: fresh, orderAmount: 20_000 })), 'ok');
  });

  it('wrong codes spread beyond the window do not lock', async () => {
    const couponId = await couponOf('o-hal');
    for (let i = 0; i < 8; i++) {
      assert.equal(code(await staff('demo-staff', { action: 'preview', code: wrongCode(couponId) })), 'COUPON_CODE_INVALID');
      await emulator().advance(3 * 60_000);
    }
    assert.equal(code(await staff('demo-staff', { action: 'preview', code: await tillCode('o-hal', couponId) })), 'ok');
  });

  it('racing guesses from many counters lock the coupon once, with one alert, and none gets through', async () => {
    const couponId = await couponOf('o-ivy');
    const counters = Array.from({ length: 12 }, (_, i) => `guess-${i}`);
    for (const s of counters) addStaff(s, 'demo-store-1');
    const replies = await Promise.all(counters.map((s) => staff(s, { action: 'preview', code: wrongCode(couponId) })));
    const outcomes = replies.map(code);
    assert.ok(
      outcomes.every((c) => c === 'COUPON_CODE_INVALID' || c === 'COUPON_LOCKED'),
      JSON.stringify(outcomes),
    );
    assert.ok(outcomes.filter((c) => c === 'COUPON_CODE_INVALID').length <= 4, 'at most limit − 1 guesses learn "wrong"');
    assert.ok(doc('coupons', couponId)?.['codeGuard']?.['lockedUntil']);
    assert.equal(
      emulator()
        .store.all('alerts')
        .filter((a) => a['kind'] === 'couponLocked').length,
      1,
    );
  });

  it('a staff account is held to its attempts per minute (operator config), exactly, under racing calls', async () => {
    guard({ version: 1, staffAttemptsPerMinute: 10 });
    const replies = await Promise.all(
      Array.from({ length: 25 }, (_, i) => staff('demo-staff', { action: 'preview', code: `9999${String(i).padStart(10, '0')}` })),
    );
    const outcomes = replies.map(code);
    assert.equal(outcomes.filter((c) => c === 'RATE_LIMITED').length, 15, JSON.stringify(outcomes));
    assert.equal(outcomes.filter((c) => c === 'COUPON_CODE_INVALID').length, 10);
    assert.equal(failures().length, 10, 'refused attempts are not evaluated, so not recorded');
    await emulator().advance(60_000);
    assert.equal(
      code(await staff('demo-staff', { action: 'preview', code: '99990000000000' })),
      'COUPON_CODE_INVALID',
      'a new minute, new attempts',
    );
  });

  it('an invalid guard config is reported and the defaults apply', async () => {
    guard({ version: 1, staffAttemptsPerMinute: 0 });
    const issues = await call('ops', 'demo-operator', { action: 'configIssues' });
    assert.ok(issues.ok && JSON.stringify(issues.data).includes('codeGuard'), JSON.stringify(issues));
    assert.equal(code(await staff('demo-staff', { action: 'preview', code: '99990000000000' })), 'COUPON_CODE_INVALID');
  });
});
