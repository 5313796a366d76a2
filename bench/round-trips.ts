import { startLocalCloud } from '../scripts/local-cloud';

/**
 * Database round trips per action, counted at the emulator's database service (each is
 * one request from the function to CloudBase, milliseconds in production). The member
 * actions run against one member in a realistic state (registered, checked in before,
 * with points, a completed task, a missed day and a card), on warm instances (another
 * member redeemed first, as on any instance serving more than one member: the item and
 * its template are in the instance's cache); then the store's actions on that member — the
 * write-off of the coupon redeemed and a purchase from the member code — on a till that
 * served that other member first. Prints JSON: action → the trips.
 */
async function main(): Promise<void> {
  const emulator = await startLocalCloud({ port: 0, dbFile: ':memory:', poolSize: 1 });
  const call = async (fn: string, event: Record<string, unknown>, openid = 'bench-rt') => {
    const res = await fetch(`${emulator.url}/fn/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
      body: JSON.stringify(event),
    });
    const reply = (await res.json()) as { ok: boolean; code?: string; data?: Record<string, unknown> };
    if (!reply.ok) throw new Error(`${fn}.${String(event['action'])}: ${reply.code}`);
    return reply.data ?? {};
  };
  const counts: Record<string, string[]> = {};
  const counted = async (name: string, fn: string, event: Record<string, unknown>, openid?: string) => {
    const trace: string[] = [];
    emulator.databaseTrace = trace;
    const data = await call(fn, event, openid);
    emulator.databaseTrace = null;
    counts[name] = trace;
    return data;
  };
  const grant = (openid: string, points: number, requestId: string) =>
    call('ops', { action: 'grant', openid, points, makeupCards: 1, reason: 'bench', requestId }, 'demo-operator');
  try {
    emulator.setNow(new Date('2026-03-02T02:00:00Z'));
    await call('member', { action: 'home' });
    await call('member', { action: 'checkin' });
    emulator.setNow(new Date('2026-03-04T02:00:00Z'));
    await grant('bench-rt', 5000, 'bench-rt-grant');
    for (const productId of ['p1', 'p2', 'p3']) await call('member', { action: 'track', event: 'browse_product', productId });
    await call('member', { action: 'home' });
    await call('member', { action: 'home' }, 'bench-rt-warm');
    await grant('bench-rt-warm', 5000, 'bench-rt-warm-grant');
    const warm = await call(
      'member',
      { action: 'redeem', itemId: 'coupon-100-minus-20', requestId: 'bench-rt-warm-redeem' },
      'bench-rt-warm',
    );
    const warmCoupon = await call('member', { action: 'couponCode', couponId: warm['couponId'] }, 'bench-rt-warm');
    const warmMember = await call('member', { action: 'memberCode' }, 'bench-rt-warm');
    // The till's instance warm too, its minute's attempt counter made: a till that has been serving.
    await call('staff', { action: 'writeOff', code: warmCoupon['code'], orderAmount: 12_800 }, 'demo-staff');
    await call(
      'staff',
      { action: 'recordPurchase', code: warmMember['code'], amount: 8_800, requestId: 'bench-rt-warm-till' },
      'demo-staff',
    );
    await counted('home', 'member', { action: 'home' });
    await counted('checkin', 'member', { action: 'checkin' });
    await counted('makeup', 'member', { action: 'makeup', day: '2026-03-03' });
    await counted('claim', 'member', { action: 'claimTask', taskId: 'daily-browse-3' });
    const { couponId } = await counted('redeem', 'member', {
      action: 'redeem',
      itemId: 'coupon-100-minus-20',
      requestId: 'bench-rt-redeem',
    });
    const { code: couponCode } = await call('member', { action: 'couponCode', couponId });
    const { code: memberCode } = await call('member', { action: 'memberCode' });
    await counted('writeOff', 'staff', { action: 'writeOff', code: couponCode, orderAmount: 12_800 }, 'demo-staff');
    await counted(
      'recordPurchase',
      'staff',
      { action: 'recordPurchase', code: memberCode, amount: 8_800, requestId: 'bench-rt-till' },
      'demo-staff',
    );
    console.log(JSON.stringify(counts));
  } finally {
    await emulator.close();
  }
}

void main();
