import { startLocalCloud } from '../scripts/local-cloud';

/**
 * Database round trips per member action, counted at the emulator's database service
 * (each is one request from the function to CloudBase, milliseconds in production). The
 * actions run against one member in a realistic state (registered, checked in before,
 * with points, a completed task, a missed day and a card). Prints JSON: action → count.
 */
async function main(): Promise<void> {
  const emulator = await startLocalCloud({ port: 0, dbFile: ':memory:', poolSize: 1 });
  const call = async (fn: string, event: Record<string, unknown>, openid = 'bench-rt') => {
    const res = await fetch(`${emulator.url}/fn/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
      body: JSON.stringify(event),
    });
    const reply = (await res.json()) as { ok: boolean; code?: string };
    if (!reply.ok) throw new Error(`${fn}.${String(event['action'])}: ${reply.code}`);
  };
  const counted = async (fn: string, event: Record<string, unknown>): Promise<string[]> => {
    const trace: string[] = [];
    emulator.databaseTrace = trace;
    await call(fn, event);
    emulator.databaseTrace = null;
    return trace;
  };
  try {
    emulator.setNow(new Date('2026-03-02T02:00:00Z'));
    await call('member', { action: 'home' });
    await call('member', { action: 'checkin' });
    emulator.setNow(new Date('2026-03-04T02:00:00Z'));
    await call(
      'ops',
      { action: 'grant', openid: 'bench-rt', points: 5000, makeupCards: 1, reason: 'bench', requestId: 'bench-rt-grant' },
      'demo-operator',
    );
    for (const productId of ['p1', 'p2', 'p3']) await call('member', { action: 'track', event: 'browse_product', productId });
    await call('member', { action: 'home' });
    const counts: Record<string, string[]> = {
      home: await counted('member', { action: 'home' }),
      checkin: await counted('member', { action: 'checkin' }),
      makeup: await counted('member', { action: 'makeup', day: '2026-03-03' }),
      claim: await counted('member', { action: 'claimTask', taskId: 'daily-browse-3' }),
      redeem: await counted('member', { action: 'redeem', itemId: 'coupon-100-minus-20', requestId: 'bench-rt-redeem' }),
    };
    console.log(JSON.stringify(counts));
  } finally {
    await emulator.close();
  }
}

void main();
