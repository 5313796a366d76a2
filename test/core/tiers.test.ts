import assert from 'node:assert/strict';
import { DEFAULT_TIERS_CONFIG as config, tiersConfigSchema } from '../../core/config/tiers';
import { newMember } from '../../core/member/registration';
import { decidePurchase, qualifyingSpend, reviewTier, spendPoints, tierForSpend, windowMonths } from '../../core/tiers/spend';

const NOW = new Date('2026-03-02T02:00:00Z');

describe('tier rules', () => {
  it('the rolling window crosses year ends and counts this month', () => {
    assert.deepEqual(windowMonths('2026-02-15', 3), ['2025-12', '2026-01', '2026-02']);
    assert.equal(windowMonths('2026-03-01', 12)[0], '2025-04');
    const spend = { total: 0, months: { '2025-03': 500, '2025-04': 20, '2026-03': 7 } };
    assert.equal(qualifyingSpend(spend, '2026-03-31', config), 27);
  });

  it('thresholds decide the tier; points follow the tier multiplier, fractions dropped', () => {
    assert.deepEqual(
      [tierForSpend(99_999, config), tierForSpend(100_000, config), tierForSpend(500_000, config)],
      ['bronze', 'silver', 'gold'],
    );
    assert.deepEqual(
      [spendPoints(12_345, 'bronze', config), spendPoints(12_345, 'silver', config), spendPoints(99, 'gold', config)],
      [123, 148, 1],
    );
  });

  it('a purchase drops months outside the window and moves up, never down', () => {
    const member = { ...newMember('o-1', null, NOW, 'ABCDEFGH'), spend: { total: 900_000, months: { '2024-01': 900_000 } } };
    const d = decidePurchase(member, config, { id: 'p1', amount: 100_000, counterparty: 'store:s1', today: '2026-03-02', now: NOW });
    assert.deepEqual(d.patch.spend, { total: 1_000_000, months: { '2026-03': 100_000 } });
    assert.equal(d.patch.tier, 'silver');
    assert.equal(d.history?.from, 'bronze');
    const gold = { ...member, tier: 'gold' as const };
    const kept = decidePurchase(gold, config, { id: 'p2', amount: 100, counterparty: 'store:s1', today: '2026-03-02', now: NOW });
    assert.equal(kept.patch.tier, undefined, 'a gold member below the line stays gold until the timer job decides');
    assert.equal(kept.result.tier, 'gold');
  });

  it('operators cannot configure tiers out of order, with falling thresholds or a floor above zero', () => {
    const tiers = config.tiers;
    const bad = [
      { ...config, tiers: [tiers[1], tiers[0], tiers[2]] },
      { ...config, tiers: [tiers[0], { ...tiers[1], threshold: 900_000 }, tiers[2]] },
      { ...config, tiers: [{ ...tiers[0], threshold: 1 }, tiers[1], tiers[2]] },
      { ...config, maxPurchase: -1 },
    ];
    for (const doc of bad) assert.equal(tiersConfigSchema.safeParse(doc).success, false, JSON.stringify(doc).slice(0, 80));
    assert.equal(tiersConfigSchema.safeParse(config).success, true);
  });

  it('the review warns, keeps the tier until the day, follows further drops, cancels on recovery, then moves down', () => {
    const gold = {
      ...newMember('o-2', null, NOW, 'ABCDEFGH'),
      tier: 'gold' as const,
      spend: { total: 600_000, months: { '2025-01': 600_000 } },
    };
    const warn = reviewTier(gold, config, '2026-03-02', NOW);
    assert.deepEqual(warn, { kind: 'warn', review: { warnedOn: '2026-03-02', downgradeOn: '2026-04-01', to: 'bronze' } });
    const warned = { ...gold, tierReview: { warnedOn: '2026-03-02', downgradeOn: '2026-04-01', to: 'bronze' as const } };
    assert.deepEqual(reviewTier(warned, config, '2026-03-31', NOW), { kind: 'keep' });
    const partly = { ...warned, spend: { total: 800_000, months: { '2026-03': 200_000 } } };
    assert.deepEqual(reviewTier(partly, config, '2026-03-10', NOW), { kind: 'warn', review: { ...warned.tierReview, to: 'silver' } });
    const recovered = { ...warned, spend: { total: 1_100_000, months: { '2026-03': 500_000 } } };
    assert.deepEqual(reviewTier(recovered, config, '2026-03-20', NOW), { kind: 'cancel' });
    const down = reviewTier(warned, config, '2026-04-01', NOW);
    assert.equal(down.kind, 'downgrade');
    assert.equal(down.kind === 'downgrade' && `${down.history.from}→${down.patch.tier}`, 'gold→bronze');
    assert.deepEqual(down.kind === 'downgrade' && [down.history._id, down.history.seq, down.patch.tierMoves], ['o-2:1', 1, 1]);
    const again = reviewTier({ ...warned, tierMoves: 4 }, config, '2026-04-01', NOW);
    assert.equal(again.kind === 'downgrade' && again.history._id, 'o-2:5', 'numbered after the member’s earlier moves');
    const bronze = newMember('o-3', null, NOW, 'ABCDEFGH');
    assert.deepEqual(reviewTier(bronze, config, '2026-04-01', NOW), { kind: 'keep' });
  });
});
