import assert from 'node:assert/strict';
import type { Emulator } from 'cloudbase-emulator';
import { earning, spending } from '../../core/points/ledger';
import type { ServerContext } from '../../server/platform/context';
import { inTransaction, txGet } from '../../server/platform/db';
import { postJournal } from '../../server/points/post';
import { emulatorForThisFile, serverContextAgainst } from '../helpers/emulator';

let emulator: Emulator;
let ctx: ServerContext;
beforeAll(async () => {
  emulator = await emulatorForThisFile();
  ctx = serverContextAgainst(emulator);
});
beforeEach(() => {
  emulator.reset();
  emulator.store.write('members', 'o-post', { _id: 'o-post', openid: 'o-post', points: 50, makeupCards: 0 } as never);
});

const AT = new Date('2026-03-10T02:00:00Z');
const points = () => (emulator.store.get('members', 'o-post') as unknown as { points: number }).points;
const post = (lines: Parameters<typeof postJournal>[2], patch = {}) =>
  inTransaction(ctx.db, async (tx) => postJournal(tx, await txGet(tx, 'members', 'o-post'), lines, patch));

describe('the one posting path', () => {
  it('writes the lines and the balance with the decision’s other member fields, in one transaction', async () => {
    const balance = await post(
      [earning('test:a', 'o-post', 30, 'grant', 'x', AT, '2026-03-10'), spending('test:b', 'o-post', 20, 'y', AT, '2026-03-10')],
      { makeupCards: 2 },
    );
    assert.equal(balance, 60);
    assert.equal(points(), 60);
    assert.equal(emulator.store.get('members', 'o-post')?.['makeupCards'], 2);
    assert.deepEqual(
      emulator.store
        .all('ledger')
        .map((e) => [e['_id'], e['delta'], e['counterparty']])
        .sort(),
      [
        ['test:a', 30, 'system:issuance'],
        ['test:b', -20, 'system:redemption'],
      ],
    );
  });

  it('never takes a balance below zero: the posting is refused and nothing is written', async () => {
    await assert.rejects(
      post([spending('test:c', 'o-post', 51, 'y', AT, '2026-03-10')]),
      (err: { code?: string }) => err.code === 'INSUFFICIENT_POINTS',
    );
    assert.equal(points(), 50);
    assert.equal(emulator.store.all('ledger').length, 0);
  });

  it('a line key posted twice fails the second transaction, whole', async () => {
    await post([earning('test:once', 'o-post', 5, 'grant', 'x', AT, '2026-03-10')]);
    await assert.rejects(post([earning('test:once', 'o-post', 5, 'grant', 'x', AT, '2026-03-10')], { makeupCards: 9 }));
    assert.equal(points(), 55);
    assert.equal(emulator.store.get('members', 'o-post')?.['makeupCards'], 0);
  });

  it('refuses another member’s line and a patch that sets the balance', async () => {
    await assert.rejects(post([earning('test:d', 'o-other', 5, 'grant', 'x', AT, '2026-03-10')]));
    await assert.rejects(post([], { points: 999 } as never));
    assert.equal(points(), 50);
  });

  it('racing postings from one balance: each lands whole or is refused as a conflict, and the balance is the sum of those that landed', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => post([earning(`test:race-${i}`, 'o-post', 10, 'grant', 'x', AT, '2026-03-10')])),
    );
    const landed = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code?: string }).code] : []));
    assert.deepEqual(refused, Array(8 - landed).fill('CONFLICT'), 'a posting that does not land is a CONFLICT, nothing else');
    assert.ok(landed >= 1, 'the race has a winner');
    assert.equal(points(), 50 + 10 * landed);
    assert.equal(emulator.store.all('ledger').length, landed);
  });
});
