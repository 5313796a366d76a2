import assert from 'node:assert/strict';
import { code, emulatorPerFile, ok } from '../helpers/emulator';

/**
 * The avatar as a member sets it: uploaded from the mini-program under the storage rules
 * (db/storage.rules.json), saved by fileID through `updateProfile`, which checks what the
 * file holds — and shown to the other members of a group.
 */
const suite = emulatorPerFile();
const emulator = suite.emulator;
const { member, at, pay } = suite;

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4b40000000049454e44ae426082',
  'hex',
);

/** `wx.cloud.uploadFile` as the member: the upload's metadata under the rules, then the PUT to COS. The fileID, or the refusal's code. */
async function upload(openid: string, cloudPath: string, bytes: Buffer): Promise<string> {
  const res = await fetch(`${emulator().url}/_emu/client/storage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
    body: JSON.stringify({ action: 'storage.getUploadMetadata', path: cloudPath }),
  });
  const reply = (await res.json()) as { data?: { url: string; authorization: string; fileId: string }; code?: string };
  if (!reply.data) return reply.code as string;
  const put = await fetch(reply.data.url, { method: 'PUT', body: bytes, headers: { authorization: reply.data.authorization } });
  assert.equal(put.status, 200);
  return reply.data.fileId;
}

beforeEach(() => at('2026-05-10T10:00:00'));

describe('avatars', () => {
  it('a member uploads a picture under avatars/ and saves it; their profile shows it', async () => {
    const fileID = await upload('o-face', 'avatars/1-a.png', PNG);
    const profile = ok(await member('o-face', { action: 'updateProfile', avatar: fileID }));
    assert.equal(profile.avatar, fileID);
    assert.equal(ok(await member('o-face', { action: 'profile' })).avatar, fileID);
  });

  it('refuses what is not a picture, too large, missing, or outside avatars/ — and keeps the avatar it had', async () => {
    const first = await upload('o-bad', 'avatars/1-ok.png', PNG);
    ok(await member('o-bad', { action: 'updateProfile', avatar: first }));
    const notPicture = await upload('o-bad', 'avatars/2-script.png', Buffer.from('<script>alert(1)</script>'));
    const tooLarge = await upload('o-bad', 'avatars/3-big.png', Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]));
    const missing = emulator().storage.fileId('avatars/never-uploaded.png');
    const product = emulator().storage.fileId('items/thermos-cup-1.png');
    assert.ok(emulator().storage.has('items/thermos-cup-1.png'), 'the seed’s product picture is a real PNG');
    for (const avatar of [notPicture, tooLarge, missing, product])
      assert.equal(code(await member('o-bad', { action: 'updateProfile', avatar })), 'AVATAR_INVALID', avatar);
    assert.equal(ok(await member('o-bad', { action: 'profile' })).avatar, first);
  });

  it('the storage rules: a member writes only under avatars/, and never over another member’s file', async () => {
    const mine = await upload('o-owner', 'avatars/1-mine.png', PNG);
    assert.equal(await upload('o-other', 'avatars/1-mine.png', Buffer.from('not yours')), 'STORAGE_EXCEED_AUTHORITY');
    assert.equal(await upload('o-other', 'items/thermos-cup-1.png', PNG), 'STORAGE_EXCEED_AUTHORITY');
    assert.equal(await upload('o-other', 'avatars/o-other/nested.png', PNG), 'STORAGE_EXCEED_AUTHORITY');
    ok(await member('o-owner', { action: 'updateProfile', avatar: mine }));
    assert.deepEqual(emulator().storage.read('avatars/1-mine.png')?.bytes, PNG);
  });

  it('the other members of a group see the leader’s avatar on the group page', async () => {
    const fileID = await upload('o-lead', 'avatars/1-lead.png', PNG);
    ok(await member('o-lead', { action: 'updateProfile', avatar: fileID, nickname: '团长小王' }));
    const opened = ok(await member('o-lead', { action: 'openGroup', dealId: 'cup-group', requestId: 'avatar-open-1' }));
    assert.equal(await pay(opened.order.orderId), 'requestPayment:ok');
    const seen = ok(await member('o-friend', { action: 'group', groupId: opened.groupId }));
    const leader = seen.members.find((m) => m.leader);
    assert.equal(leader?.nickname, '团长小王');
    const res = await fetch(leader?.avatar as string);
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), PNG);
  });
});
