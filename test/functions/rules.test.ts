import assert from 'node:assert/strict';
import { code, emulatorPerFile, ok } from '../helpers/emulator';

/**
 * 积分规则 read from the rule sets in force (through the same per-instance cache the engine
 * reads them with: an operator's edit reaches a warm instance within CONFIG_TTL_MS).
 */
const { member, call, raw } = emulatorPerFile();

describe('积分规则', () => {
  it('says what the engine does, as the operator set it: check-in points, spend by tier, validity', async () => {
    ok(
      await call('ops', 'demo-operator', {
        action: 'saveConfig',
        collection: 'config',
        id: 'checkin',
        doc: { basePoints: 8, capPoints: 80 },
      }),
    );
    const rules = ok(await member('o-reader', { action: 'pointsRules' }));
    assert.deepEqual([rules.checkin.basePoints, rules.checkin.capPoints], [8, 80]);
    assert.ok(rules.spend.pointsPerYuan > 0);
    assert.equal(rules.validMonths, 12);
    assert.deepEqual(
      rules.spend.tiers.map((t) => t.name),
      ['铜卡', '银卡', '金卡'],
    );
    assert.equal(code(await raw('member', 'o-reader', { action: 'pointsRules', basePoints: 1 })), 'INVALID_INPUT');
  });
});
