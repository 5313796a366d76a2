import assert from 'node:assert/strict';
import {
  type GroupDeal,
  type GroupFacts,
  dealOpen,
  groupDeadline,
  groupDealSchema,
  groupFilled,
  seatHeldUntil,
  joinRejection,
  seatPrice,
} from '../../core/group/deal';
import { CUP_GROUP_DEAL } from '../helpers/fixtures';

const deal: GroupDeal = groupDealSchema.parse(CUP_GROUP_DEAL);
const at = (beijing: string) => new Date(`${beijing}+08:00`);
const group = (seats: GroupFacts['seats'], state: GroupFacts['state'] = 'open'): GroupFacts => ({
  size: 3,
  deadline: at('2026-05-06T10:00:00'),
  seats,
  state,
});

describe('group buying rules', () => {
  it('defaults: 3 people, 7折, 24 hours, one group per member', () => {
    assert.deepEqual([deal.size, deal.pricePercent, deal.deadlineHours, deal.perMemberLimit], [3, 70, 24, 1]);
    assert.equal(seatPrice(9900, deal, false), 6930);
    assert.equal(seatPrice(9900, { ...deal, leaderPricePercent: 60 }, true), 5940);
    assert.equal(seatPrice(9900, deal, true), 6930, 'no leader price: the leader pays the group price');
  });

  it('a deadline is 24 hours after opening, but never past the end of the deal’s last Beijing day', () => {
    assert.deepEqual(groupDeadline(at('2026-05-05T10:00:00'), deal), at('2026-05-06T10:00:00'));
    assert.deepEqual(groupDeadline(at('2026-05-10T20:00:00'), deal), at('2026-05-11T00:00:00'));
    assert.deepEqual(groupDeadline(at('2026-05-10T23:59:00'), deal), at('2026-05-11T00:00:00'), 'Beijing midnight, not UTC');
  });

  it('a deal is open on its days only, when enabled', () => {
    assert.deepEqual(
      ['2026-04-30', '2026-05-01', '2026-05-10', '2026-05-11'].map((d) => dealOpen(deal, d)),
      [false, true, true, false],
    );
    assert.equal(dealOpen({ ...deal, enabled: false }, '2026-05-05'), false);
  });

  it('joining: full, expired, already in (leader included) are refused; a free seat is taken', () => {
    const now = at('2026-05-05T12:00:00');
    const two = [
      { openid: 'o-lead', paid: true },
      { openid: 'o-a', paid: false },
    ];
    assert.equal(joinRejection(group(two), 'o-b', now), null);
    assert.equal(joinRejection(group(two), 'o-lead', now), 'GROUP_ALREADY_JOINED');
    assert.equal(joinRejection(group(two), 'o-a', now), 'GROUP_ALREADY_JOINED');
    assert.equal(joinRejection(group([...two, { openid: 'o-b', paid: false }]), 'o-c', now), 'GROUP_FULL');
    assert.equal(joinRejection(group(two), 'o-b', at('2026-05-06T10:00:00')), 'GROUP_EXPIRED');
    assert.equal(joinRejection(group(two, 'failed'), 'o-b', now), 'GROUP_EXPIRED');
  });

  it('a group fills when every seat is taken and paid', () => {
    const paid = (n: number, taken = 3) => Array.from({ length: taken }, (_, i) => ({ openid: `o-${i}`, paid: i < n }));
    assert.equal(groupFilled(group(paid(3))), true);
    assert.equal(groupFilled(group(paid(2))), false, 'one seat still waits for its payment');
    assert.equal(groupFilled(group(paid(2, 2))), false, 'a seat is still free');
  });

  it('a seat is held for its payment for the hold time, never past the deadline', () => {
    const deadline = at('2026-05-06T10:00:00');
    assert.deepEqual(seatHeldUntil(at('2026-05-05T12:00:00'), deadline, 5), at('2026-05-05T12:05:00'));
    assert.deepEqual(seatHeldUntil(at('2026-05-06T09:58:00'), deadline, 5), deadline);
  });

  it('operators cannot configure sizes, prices or windows out of bounds', () => {
    const bad = [
      { size: 1 },
      { size: 11 },
      { pricePercent: 0 },
      { pricePercent: -70 },
      { leaderPricePercent: 80 },
      { stock: -1 },
      { from: '2026-05-11' },
      { deadlineHours: 0 },
      { holdMinutes: 0 },
      { perMemberLimit: 0 },
      { from: '2026-02-30' },
    ];
    for (const fields of bad) assert.equal(groupDealSchema.safeParse({ ...deal, ...fields }).success, false, JSON.stringify(fields));
  });
});
