import assert from 'node:assert/strict';
import { code, emulatorPerFile, ok } from '../helpers/emulator';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const { member, call } = suite;

describe('operators manage staff roles', () => {
  it('an operator makes a member staff by scanning their member code, then revokes it; both are audited', async () => {
    ok(await member('o-clerk', { action: 'home' }));
    assert.equal(code(await call('staff', 'o-clerk', { action: 'history' })), 'FORBIDDEN');
    const memberCode = ok(await member('o-clerk', { action: 'memberCode' })).code as string;
    const made = ok(
      await call('ops', 'demo-operator', { action: 'setStaff', code: memberCode, storeId: 'demo-store-1', reason: '新店员入职' }),
    );
    assert.deepEqual([made.openid, made.from, made.to], ['o-clerk', null, { role: 'staff', storeId: 'demo-store-1' }]);
    ok(await call('staff', 'o-clerk', { action: 'history' }));
    assert.equal(ok(await member('o-clerk', { action: 'profile' })).role?.role, 'staff');
    ok(await call('ops', 'demo-operator', { action: 'revokeStaff', openid: 'o-clerk', reason: '离职' }));
    assert.equal(code(await call('staff', 'o-clerk', { action: 'history' })), 'FORBIDDEN');
    assert.equal(emulator().store.get('roles', 'o-clerk'), undefined);
    const audit = ok(await call('ops', 'demo-operator', { action: 'roleChanges', openid: 'o-clerk' }));
    assert.deepEqual(
      audit.map((c) => [c.reason, c.from?.role ?? null, c.to?.role ?? null, c.by]),
      [
        ['离职', 'staff', null, 'demo-operator'],
        ['新店员入职', null, 'staff', 'demo-operator'],
      ],
    );
  });

  it('refused: staff and members, unknown stores and members, operators’ own roles, a wrong code, revoking nothing', async () => {
    ok(await member('o-clerk', { action: 'home' }));
    assert.equal(
      code(await call('ops', 'demo-staff', { action: 'setStaff', openid: 'o-clerk', storeId: 'demo-store-1', reason: 'x' })),
      'FORBIDDEN',
    );
    assert.equal(code(await call('ops', 'o-clerk', { action: 'revokeStaff', openid: 'demo-staff', reason: 'x' })), 'FORBIDDEN');
    assert.equal(
      code(await call('ops', 'demo-operator', { action: 'setStaff', openid: 'o-clerk', storeId: 'no-store', reason: 'x' })),
      'NOT_FOUND',
    );
    assert.equal(
      code(await call('ops', 'demo-operator', { action: 'setStaff', openid: 'o-ghost', storeId: 'demo-store-1', reason: 'x' })),
      'NOT_FOUND',
    );
    assert.equal(
      code(await call('ops', 'demo-operator', { action: 'setStaff', openid: 'demo-operator', storeId: 'demo-store-1', reason: 'x' })),
      'NOT_FOUND',
      'the demo operator is no member',
    );
    ok(await member('demo-operator', { action: 'home' }));
    assert.equal(
      code(await call('ops', 'demo-operator', { action: 'setStaff', openid: 'demo-operator', storeId: 'demo-store-1', reason: 'x' })),
      'FORBIDDEN',
    );
    assert.equal(code(await call('ops', 'demo-operator', { action: 'revokeStaff', openid: 'o-clerk', reason: 'x' })), 'NOT_FOUND');
    assert.equal(
      code(await call('ops', 'demo-operator', { action: 'setStaff', code: '1234567890123456', storeId: 'demo-store-1', reason: 'x' })),
      'MEMBER_CODE_INVALID',
    );
    assert.equal(
      code(await call('ops', 'demo-operator', { action: 'setStaff', code: '1', openid: 'o-clerk', storeId: 'demo-store-1', reason: 'x' })),
      'INVALID_INPUT',
    );
    assert.equal(emulator().store.all('roleChanges').length, 0, 'nothing refused is audited');
  });

  it('racing changes to one member: the role ends as the last audited change says', async () => {
    ok(await member('o-clerk', { action: 'home' }));
    await Promise.all([
      call('ops', 'demo-operator', { action: 'setStaff', openid: 'o-clerk', storeId: 'demo-store-1', reason: 'a' }),
      call('ops', 'demo-operator', { action: 'revokeStaff', openid: 'o-clerk', reason: 'b' }),
      call('ops', 'demo-operator', { action: 'setStaff', openid: 'o-clerk', storeId: 'demo-store-1', reason: 'c' }),
    ]);
    const audit = ok(await call('ops', 'demo-operator', { action: 'roleChanges', openid: 'o-clerk' }));
    const role = emulator().store.get('roles', 'o-clerk');
    assert.deepEqual(role ? 'staff' : null, audit[0]?.to?.role ?? null);
    for (let i = 0; i + 1 < audit.length; i++)
      assert.deepEqual(audit[i]?.from, audit[i + 1]?.to, 'each change starts where the one before ended');
  });
});
