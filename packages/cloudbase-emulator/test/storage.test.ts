import assert from 'node:assert/strict';
import type { Emulator } from '../src';
import { startEmulator, useSdkAgainst } from './helpers';

/**
 * Cloud storage through the real, unmodified wx-server-sdk (README.md, "Cloud storage"):
 * upload, temporary URLs that expire on the simulated clock, download, delete — and the
 * upload URL's signature, the paths and the reset that hold around them.
 */
let emulator: Emulator;
let wx: typeof import('wx-server-sdk');

beforeAll(async () => {
  emulator = await startEmulator();
  useSdkAgainst(emulator);
  wx = require('wx-server-sdk') as typeof wx;
  wx.init({ env: wx.DYNAMIC_CURRENT_ENV as unknown as string });
});
afterAll(() => emulator.close());

/** A tiny PNG's bytes (any bytes would do; the name's extension gives the type). */
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const ENV_FILE = /^cloud:\/\/local-env\.local-env-1250000000\//;

async function upload(cloudPath: string, fileContent = PNG): Promise<string> {
  const { fileID } = await wx.uploadFile({ cloudPath, fileContent });
  return fileID;
}

async function tempUrl(fileID: string, maxAge = 600): Promise<{ status: number; tempFileURL: string }> {
  // The typings union in callback-style returns (`void`); the promise form answers the result.
  const { fileList } = (await wx.getTempFileURL({ fileList: [{ fileID, maxAge }] })) as {
    fileList: { status: number; tempFileURL: string }[];
  };
  return fileList[0] as { status: number; tempFileURL: string };
}

describe('cloud storage through wx-server-sdk', () => {
  it('uploads, gives a temporary URL serving the same bytes with their type, and downloads', async () => {
    const fileID = await upload('avatars/o-1.png');
    assert.match(fileID, ENV_FILE);
    assert.ok(fileID.endsWith('/avatars/o-1.png'));
    const { status, tempFileURL } = await tempUrl(fileID);
    assert.equal(status, 0);
    const res = await fetch(tempFileURL);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), PNG);
    const downloaded = await wx.downloadFile({ fileID });
    assert.deepEqual(Buffer.from(downloaded.fileContent as Buffer), PNG);
  });

  it('a temporary URL expires with the simulated clock, and a changed one is refused', async () => {
    const { tempFileURL } = await tempUrl(await upload('items/cup.png'), 60);
    assert.equal((await fetch(tempFileURL)).status, 200);
    assert.equal((await fetch(tempFileURL.replace(/sign=[0-9a-f]/, 'sign=x'))).status, 403, 'signature changed');
    assert.equal((await fetch(tempFileURL.replace(/t=(\d+)/, (_, t) => `t=${Number(t) + 86_400_000}`))).status, 403, 'expiry moved');
    emulator.setNow(new Date(emulator.clock.now().getTime() + 61_000));
    assert.equal((await fetch(tempFileURL)).status, 403, 'expired');
    assert.equal((await fetch((await tempUrl(await upload('items/cup.png'))).tempFileURL)).status, 200, 'a new URL serves it');
  });

  it('deletes; a deleted or unknown file has no URL', async () => {
    const fileID = await upload('exports/day.csv', Buffer.from('a,b\n1,2\n'));
    const { fileList } = (await wx.deleteFile({ fileList: [fileID, `${fileID}-missing`] })) as { fileList: { status: number }[] };
    assert.deepEqual(
      fileList.map((f) => f.status),
      [0, -503003],
    );
    const gone = await tempUrl(fileID);
    assert.deepEqual([gone.status, gone.tempFileURL], [-503003, '']);
    const foreign = await tempUrl('cloud://other-env.other-bucket/exports/day.csv');
    assert.equal(foreign.status, -503003, 'another environment’s fileID names nothing here');
  });

  it('an upload URL takes only the authorization handed out for its path, once', async () => {
    const put = (path: string, authorization?: string) =>
      fetch(`${emulator.url}/_emu/cos/${path}`, { method: 'PUT', body: PNG, headers: authorization ? { authorization } : {} });
    const unsigned = await put('avatars/o-2.png');
    assert.equal(unsigned.status, 403);
    assert.match(await unsigned.text(), /<Error><Code>SignatureDoesNotMatch<\/Code>.*<RequestId>.*<TraceId>/);
    const { url, authorization } = emulator.storage.handle('storage.getUploadMetadata', { path: 'avatars/o-2.png' }) as Record<
      string,
      string
    >;
    assert.equal(url, `${emulator.url}/_emu/cos/avatars/o-2.png`);
    assert.equal((await put('avatars/someone-else.png', authorization)).status, 403, 'not for another path');
    assert.equal(emulator.storage.read('avatars/o-2.png'), undefined, 'nothing written by a refused PUT');
    assert.equal((await put('avatars/o-2.png', authorization)).status, 200);
    assert.equal((await put('avatars/o-2.png', authorization)).status, 403, 'used once');
    assert.deepEqual(emulator.storage.read('avatars/o-2.png')?.bytes, PNG);
  });

  it('two PUTs racing with one authorization: exactly one is taken', async () => {
    const { authorization } = emulator.storage.handle('storage.getUploadMetadata', { path: 'avatars/o-race.png' }) as {
      authorization: string;
    };
    const put = (body: Buffer) =>
      fetch(`${emulator.url}/_emu/cos/avatars/o-race.png`, { method: 'PUT', body, headers: { authorization } }).then((r) => r.status);
    const statuses = await Promise.all([put(PNG), put(Buffer.from('other bytes'))]);
    assert.deepEqual([...statuses].sort(), [200, 403]);
    const kept = emulator.storage.read('avatars/o-race.png')?.bytes;
    assert.deepEqual(kept, statuses[0] === 200 ? PNG : Buffer.from('other bytes'), 'the file is the accepted PUT’s');
  });

  it('refuses paths outside the bucket’s rules: absolute, empty or dot segments', async () => {
    for (const cloudPath of ['/etc/passwd', '../up.png', 'a//b.png', 'a/./b.png', 'a?b.png']) {
      await assert.rejects(
        upload(cloudPath),
        (err: { errMsg?: string; message?: string }) => /cloudPath/.test(String(err.errMsg ?? err.message)),
        cloudPath,
      );
    }
  });

  it('a reset empties the bucket', async () => {
    const fileID = await upload('avatars/o-3.png');
    emulator.reset();
    assert.equal((await tempUrl(fileID)).status, -503003);
  });
});
