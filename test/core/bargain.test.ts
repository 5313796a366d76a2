import assert from 'node:assert/strict';
import { type BargainDeal, bargainDealSchema, bargainOpen, drawCut, helpRejection } from '../../core/bargain/deal';
import { CUP_BARGAIN_DEAL } from '../helpers/fixtures';

const deal: BargainDeal = bargainDealSchema.parse(CUP_BARGAIN_DEAL);
const at = (beijing: string) => new Date(`${beijing}+08:00`);

describe('bargaining rules', () => {
  it('a cut is drawn between the bounds and never passes the floor', () => {
    assert.equal(drawCut(9900, deal, 0), 500);
    assert.equal(drawCut(9900, deal, 0.999999), 1500);
    for (let i = 0; i < 200; i++) {
      const cut = drawCut(9900, deal, Math.random());
      assert.ok(cut >= 500 && cut <= 1500, String(cut));
    }
    assert.equal(drawCut(5300, deal, 0.999999), 400, 'only what is left above the floor');
    assert.equal(drawCut(4900, deal, 0.5), 0, 'at the floor nothing is cut');
  });

  it('helps are refused for the owner, after expiry and at the floor', () => {
    const bargain = { owner: 'o-owner', price: 9900, floorPrice: 4900, expiresAt: at('2026-05-06T10:00:00'), state: 'open' };
    const now = at('2026-05-05T10:00:00');
    assert.equal(helpRejection(bargain, 'o-friend', now), null);
    assert.equal(helpRejection(bargain, 'o-owner', now), 'BARGAIN_OWN');
    assert.equal(helpRejection(bargain, 'o-friend', at('2026-05-06T10:00:00')), 'BARGAIN_EXPIRED');
    assert.equal(helpRejection({ ...bargain, state: 'bought' }, 'o-friend', now), 'BARGAIN_EXPIRED');
    assert.equal(helpRejection({ ...bargain, price: 4900 }, 'o-friend', now), 'BARGAIN_FLOOR_REACHED');
  });

  it('deals are on within their window; bounds out of order or negative are refused', () => {
    assert.equal(bargainOpen(deal, '2026-05-01'), true);
    assert.equal(bargainOpen(deal, '2026-05-11'), false);
    assert.equal(bargainOpen({ ...deal, enabled: false }, '2026-05-05'), false);
    for (const fields of [{ minCut: 2000 }, { floorPrice: -1 }, { maxCut: 0 }, { stock: -1 }, { from: '2026-05-11' }, { durationHours: 0 }])
      assert.equal(bargainDealSchema.safeParse({ ...deal, ...fields }).success, false, JSON.stringify(fields));
  });
});
