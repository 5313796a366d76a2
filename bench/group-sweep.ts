import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { GroupDoc, PayOrderDoc } from '../typings/documents';
import { startLocalCloud } from '../scripts/local-cloud';

/**
 * The failed-group sweep end to end: N groups of 3 past their deadline with 2 paid seats
 * each, and 20 % of the first refund attempts refused. The emulator's timer function
 * fires back to back (each firing sweeps a page of groups and retries refunds that are
 * due), then as simulated time passes, until every order is refunded. Prints one JSON line: time, refunds per order at
 * WeChat Pay (must be exactly 1), database requests per group, peak RSS (emulator included).
 * Usage: group-sweep <N>.
 */
const DEADLINE = new Date('2026-05-11T02:00:00Z');

async function main(groups: number): Promise<void> {
  const emulator = await startLocalCloud({ port: 0, dbFile: join(mkdtempSync(join(tmpdir(), 'memberloop-groups-')), 'db.sqlite') });
  emulator.setNow(new Date(DEADLINE.getTime() + 60_000)); // 10:01 Beijing: no night work
  const store = emulator.store;
  store.atomically(() => {
    for (let g = 0; g < groups; g++) {
      const groupId = `G${String(g).padStart(30, '0')}`;
      const seats = [0, 1].map((s) => ({
        openid: `g${g}-m${s}`,
        nickname: `m${s}`,
        payOrderId: `P${String(g).padStart(29, '0')}${s}`,
        paid: true,
        joinedAt: new Date(DEADLINE.getTime() - 86_400_000),
      }));
      const group: GroupDoc = {
        _id: groupId,
        dealId: 'cup-group',
        itemId: 'thermos-cup',
        title: '保温杯 3人团',
        leader: seats[0]!.openid,
        size: 3,
        seats,
        taken: 2,
        state: 'open',
        openedAt: new Date(DEADLINE.getTime() - 86_400_000),
        deadline: DEADLINE,
        closedAt: null,
        settled: false,
      };
      store.write('groups', groupId, group as never);
      for (const [i, seat] of seats.entries()) {
        const order: PayOrderDoc = {
          _id: seat.payOrderId,
          openid: seat.openid,
          requestId: `bench-${g}-${i}`,
          itemId: 'thermos-cup',
          title: '品牌保温杯',
          kind: 'physical',
          listPrice: 9900,
          amount: 6930,
          points: 0,
          tier: 'bronze',
          state: 'paid',
          stockHeld: true,
          createdAt: seat.joinedAt,
          expiresAt: seat.joinedAt,
          paidAt: seat.joinedAt,
          transactionId: `T${seat.payOrderId}`,
          couponId: null,
          orderId: null,
          earnedPoints: 0,
          refund: null,
          history: [{ state: 'paid', at: seat.joinedAt, note: '' }],
          group: { dealId: 'cup-group', groupId, leader: i === 0 },
        };
        store.write('payOrders', order._id, order as never);
        store.write('dealSlots', `cup-group:${seat.openid}:1`, { _id: `cup-group:${seat.openid}:1`, payOrderId: seat.payOrderId } as never);
        store.write('emu_payments', order._id, {
          _id: order._id,
          openid: seat.openid,
          body: order.title,
          totalFee: 6930,
          functionName: 'pay',
          subMchId: '1900000109',
          state: 'SUCCESS',
          prepayId: `wx${order._id}`,
          transactionId: order.transactionId,
          paidAt: seat.joinedAt,
          createdAt: seat.joinedAt,
        } as never);
      }
    }
  });
  const orders = groups * 2;
  emulator.pay.failRefunds = Math.round(orders * 0.2);
  const trace: string[] = [];
  emulator.databaseTrace = trace;
  let peakRss = 0;
  let firings = 0;
  const fire = async () => {
    firings++;
    const outcome = await emulator.fireTrigger('timer', 'tick');
    if (!outcome.ok) throw new Error(JSON.stringify(outcome));
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return (outcome.value as { data: { groups: { failed: number; refundsRequested: number; waiting: number } } }).data.groups;
  };
  const started = performance.now();
  // The timer's firings, back to back: each sweeps a page of groups and retries refunds that are due.
  for (;;) {
    const swept = await fire();
    if (swept.failed === 0 && swept.refundsRequested === 0 && swept.waiting === 0) break;
  }
  const sweepSeconds = (performance.now() - started) / 1000;
  const sweepTrips = trace.length;
  // Refunds refused at first are retried as they fall due (1, 2, 4… minutes after).
  for (let minute = 2; store.all('payOrders').some((o) => o['state'] !== 'refunded') && minute < 600; minute *= 2) {
    emulator.setNow(new Date(DEADLINE.getTime() + minute * 60_000));
    const due = () => store.all('payOrders').filter((o) => o['state'] === 'refunding').length;
    for (let before = due(); before > 0; before = due()) {
      await fire();
      await emulator.pay.deliverPending();
      if (due() === before) break;
    }
  }
  await emulator.pay.deliverPending();
  const seconds = (performance.now() - started) / 1000;
  const all = store.all('payOrders');
  const refunds = store.all('emu_refunds');
  const perOrder = new Map<string, number>();
  for (const r of refunds) perOrder.set(String(r['outTradeNo']), (perOrder.get(String(r['outTradeNo'])) ?? 0) + 1);
  emulator.databaseTrace = null;
  const result = {
    groups,
    orders,
    firstAttemptsRefused: Math.round(orders * 0.2),
    refunded: all.filter((o) => o['state'] === 'refunded').length,
    refundedTwice: [...perOrder.values()].filter((n) => n > 1).length,
    notRefunded: orders - perOrder.size,
    failed: store.all('groups').filter((g) => g['state'] === 'failed' && g['settled'] === true).length,
    sweepSeconds,
    seconds,
    firings,
    tripsPerGroup: sweepTrips / groups,
    tripsPerGroupAll: trace.length / groups,
    peakRssMb: peakRss / 2 ** 20,
  };
  await emulator.close();
  console.log(JSON.stringify(result));
}

void main(Number(process.argv[2] ?? 10_000));
