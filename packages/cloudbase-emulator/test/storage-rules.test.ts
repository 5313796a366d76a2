import assert from 'node:assert/strict';
import type { Emulator } from '../src';
import { compileRule } from '../src/storage-rules';
import { startEmulator } from './helpers';

/**
 * Storage security rules (README.md, "Cloud storage"): the expression language the
 * platform documents, and the mini-program's own requests held to it — while functions
 * keep every right.
 */
const scope = (openid: string | null, owner: string, path: string) => ({
  auth: openid === null ? null : { openid, loginType: 'WECHAT' },
  resource: { openid: owner, path },
});

describe('storage rule expressions', () => {
  it('booleans, comparisons, && || ! and parentheses', () => {
    assert.equal(compileRule(true)(scope('a', 'a', 'x')), true);
    assert.equal(compileRule(false)(scope('a', 'a', 'x')), false);
    assert.equal(compileRule(undefined)(scope('a', 'a', 'x')), false, 'a right not given is refused');
    const creator = compileRule('resource.openid == auth.openid');
    assert.equal(creator(scope('a', 'a', 'x')), true);
    assert.equal(creator(scope('b', 'a', 'x')), false);
    assert.equal(compileRule('auth != null')(scope(null, '', 'x')), false);
    assert.equal(compileRule("!(auth.loginType == 'ANONYMOUS') && (false || auth.openid != 'b')")(scope('a', 'a', 'x')), true);
  });

  it('a regex literal tests a path', () => {
    const avatars = compileRule('/^avatars\\/[\\w.-]+$/.test(resource.path) == true');
    assert.equal(avatars(scope('a', 'a', 'avatars/1.png')), true);
    assert.equal(avatars(scope('a', 'a', 'items/cup.png')), false);
    assert.equal(avatars(scope('a', 'a', 'avatars/x/1.png')), false);
  });

  it('refuses what it cannot read, naming where', () => {
    for (const bad of ['auth ==', 'resource.openid = auth.openid', 'window.openid == 1', '(true', 'true true'])
      assert.throws(() => compileRule(bad), /storage rule/, bad);
  });
});

/** The project's own rules (db/storage.rules.json), here inline: the package knows nothing of the project. */
const RULES = {
  read: true,
  write: 'auth != null && resource.openid == auth.openid && /^(avatars|uploads)\\/[\\w.-]+$/.test(resource.path) == true',
};

describe('mini-program storage requests under the rules', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ storageRules: RULES });
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  const client = async (openid: string, body: Record<string, unknown>) =>
    (await (
      await fetch(`${emulator.url}/_emu/client/storage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
        body: JSON.stringify(body),
      })
    ).json()) as { data?: Record<string, string>; code?: string };

  async function upload(openid: string, path: string, bytes: Buffer) {
    const reply = await client(openid, { action: 'storage.getUploadMetadata', path });
    if (!reply.data) return reply.code;
    const put = await fetch(reply.data['url'] as string, {
      method: 'PUT',
      body: bytes,
      headers: { authorization: reply.data['authorization'] as string },
    });
    return put.status;
  }

  it('a member uploads under avatars/ as its creator; another member cannot overwrite or delete it', async () => {
    assert.equal(await upload('member-a', 'avatars/a-1.png', Buffer.from('a')), 200);
    assert.equal(await upload('member-b', 'avatars/a-1.png', Buffer.from('b')), 'STORAGE_EXCEED_AUTHORITY');
    const fileID = emulator.storage.fileId('avatars/a-1.png');
    const deleted = await client('member-b', { action: 'storage.batchDeleteFile', fileid_list: [fileID] });
    assert.equal((deleted.data as unknown as { delete_list: { code: string }[] }).delete_list[0]?.code, 'STORAGE_EXCEED_AUTHORITY');
    assert.deepEqual(emulator.storage.read('avatars/a-1.png')?.bytes, Buffer.from('a'), 'still the creator’s bytes');
    assert.equal(await upload('member-a', 'avatars/a-1.png', Buffer.from('a2')), 200, 'the creator replaces it');
  });

  it('nothing outside the folders the rules open: not the products, not a nested path', async () => {
    emulator.storage.put('items/cup.png', Buffer.from('seed'));
    assert.equal(await upload('member-a', 'items/cup.png', Buffer.from('x')), 'STORAGE_EXCEED_AUTHORITY');
    assert.equal(await upload('member-a', 'items/new.png', Buffer.from('x')), 'STORAGE_EXCEED_AUTHORITY');
    assert.equal(await upload('member-a', 'avatars/x/y.png', Buffer.from('x')), 'STORAGE_EXCEED_AUTHORITY');
    assert.deepEqual(emulator.storage.read('items/cup.png')?.bytes, Buffer.from('seed'));
    assert.equal(emulator.storage.has('items/new.png'), false);
  });

  it('everyone reads: a temporary URL for another member’s avatar and a product', async () => {
    await upload('member-a', 'avatars/a-2.png', Buffer.from('a'));
    emulator.storage.put('items/cup.png', Buffer.from('seed'));
    const reply = await client('member-b', {
      action: 'storage.batchGetDownloadUrl',
      file_list: [{ fileid: emulator.storage.fileId('avatars/a-2.png') }, { fileid: emulator.storage.fileId('items/cup.png') }],
    });
    const list = (reply.data as unknown as { download_list: { code: string; tempFileURL: string }[] }).download_list;
    assert.deepEqual(
      list.map((f) => f.code),
      ['SUCCESS', 'SUCCESS'],
    );
    assert.equal(await (await fetch(list[0]?.tempFileURL as string)).text(), 'a');
  });

  it('a request without a caller is refused; functions keep every right', async () => {
    const anonymous = await fetch(`${emulator.url}/_emu/client/storage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'storage.getUploadMetadata', path: 'avatars/z.png' }),
    });
    assert.equal(anonymous.status, 401);
    assert.ok(emulator.storage.handle('storage.getUploadMetadata', { path: 'items/new.png' })['url'], 'a function writes anywhere');
  });
});
