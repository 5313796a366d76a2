import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { callFunction, startEmulator } from '../helpers/emulator';

describe('durable database file', () => {
  it('keeps members and edited seed documents across restarts', async () => {
    const dbFile = join(mkdtempSync(join(tmpdir(), 'memberloop-db-')), 'db.sqlite');
    const first = await startEmulator({ dbFile });
    await callFunction(first, 'member', { action: 'home' }, 'o-durable');
    first.database.apply([{ collection: 'roles', id: 'demo-staff', doc: { _id: 'demo-staff', role: 'staff', storeId: 'store-9' }, mode: 'put' }]);
    await first.close();

    const second = await startEmulator({ dbFile });
    try {
      const reply = await callFunction<{ ok: boolean; data: { isNew: boolean } }>(second, 'member', { action: 'home' }, 'o-durable');
      assert.equal(reply.body.data.isNew, false);
      assert.equal(second.store.count('members'), 1);
      assert.equal(second.store.count('roles'), 2);
      assert.equal(second.store.get('roles', 'demo-staff')?.['storeId'], 'store-9', 'a local edit to seed data survives a restart');
    } finally {
      await second.close();
    }
  });
});
