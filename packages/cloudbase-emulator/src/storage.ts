import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { extname } from 'node:path';
import type { VersionedDatabase } from './db/database';
import type { Doc } from './db/ejson';
import { HttpError } from './http';
import { type RuleScope, type StorageRules, compileRule } from './storage-rules';

/** Files live in the database beside everything else (so a reset, a restart and a copy of the file keep them together). */
const FILES = 'emu_files';
export const STORAGE_COLLECTIONS = [FILES];

/** The largest file the emulator takes (a real bucket takes far more; images and exports stay well below). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** How long an upload's signed PUT URL is good for. */
const UPLOAD_TTL_MS = 10 * 60_000;
/** A temporary download URL's life when the caller names none, and at most (seconds). */
const DEFAULT_MAX_AGE_S = 86_400;
const MAX_MAX_AGE_S = 86_400 * 31;

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

interface StoredFile {
  _id: string;
  contentType: string;
  size: number;
  /** base64 */
  data: string;
  uploadedAt: Date;
  /** Who uploaded it from the mini-program (the rules' `resource.openid`); '' for functions, the console and the seed. */
  openid: string;
}

type Json = Record<string, unknown>;

/** A storage error as the SDKs read one: `code` and `message` beside the request id. */
export class StorageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A cloud path as a bucket would take it: relative, no empty or `..` segment, no control
 * or URL-special characters (`?`, `#`, `\`), at most 1024 characters.
 */
function checkPath(path: unknown): string {
  if (typeof path !== 'string' || path.length === 0 || path.length > 1024)
    throw new StorageError('INVALID_PARAM', 'cloudPath must be 1–1024 characters');
  if (path.startsWith('/') || path.split('/').some((s) => s === '' || s === '.' || s === '..'))
    throw new StorageError('INVALID_PARAM', `cloudPath ${JSON.stringify(path)} must be relative, without empty, . or .. segments`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f?#\\]/.test(path)) throw new StorageError('INVALID_PARAM', 'cloudPath has a control character, ?, # or \\');
  return path;
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/**
 * CloudBase cloud storage as wx-server-sdk and @cloudbase/node-sdk use it (README.md,
 * "Cloud storage"): `storage.getUploadMetadata` hands out a signed PUT URL — here the
 * emulator's own `/_emu/cos/<path>`, where the bytes go as they would to COS —, files are
 * named by `cloud://<env>.<bucket>/<path>` fileIDs, `storage.batchGetDownloadUrl` turns
 * them into temporary URLs (`/_emu/files/<path>?t=&sign=`, expiring on the simulated
 * clock), `storage.batchDeleteFile` deletes.
 */
export class CloudStorage {
  private readonly uploads = new Map<string, { path: string; expires: number; openid: string }>();
  private readonly secret = randomBytes(32);
  private readonly bucket: string;
  private readonly may: { read: (scope: RuleScope) => boolean; write: (scope: RuleScope) => boolean };

  constructor(
    private readonly db: VersionedDatabase,
    private readonly now: () => Date,
    private readonly baseUrl: () => string,
    private readonly envId: string,
    rules: StorageRules,
  ) {
    this.bucket = `${envId}-1250000000`;
    this.may = { read: compileRule(rules.read), write: compileRule(rules.write) };
  }

  fileId(path: string): string {
    return `cloud://${this.envId}.${this.bucket}/${path}`;
  }

  /** The path a fileID of this environment names, or null (another environment's, or not a fileID). */
  pathOf(fileId: unknown): string | null {
    const prefix = `cloud://${this.envId}.${this.bucket}/`;
    if (typeof fileId !== 'string' || !fileId.startsWith(prefix)) return null;
    try {
      return checkPath(fileId.slice(prefix.length));
    } catch {
      return null;
    }
  }

  /** One `storage.*` action of the SDKs' wire protocol, with every right (a function's, the console's): its `data`. */
  handle(action: string, body: Json): Json {
    return this.act(action, body, null);
  }

  /**
   * The same action asked by a mini-program user (`wx.cloud.uploadFile`, `getTempFileURL`,
   * `deleteFile`), held to the storage rules: an upload or delete the `write` rule refuses
   * throws STORAGE_EXCEED_AUTHORITY; a file the `read` rule refuses gets no URL.
   */
  client(action: string, body: Json, openid: string): Json {
    return this.act(action, body, openid);
  }

  private act(action: string, body: Json, openid: string | null): Json {
    if (action === 'storage.getUploadMetadata') return this.uploadMetadata(body, openid);
    if (action === 'storage.batchGetDownloadUrl')
      return { download_list: this.list(body['file_list']).map((f) => this.downloadUrl(f, openid)) };
    if (action === 'storage.batchDeleteFile') return { delete_list: this.list(body['fileid_list']).map((f) => this.delete(f, openid)) };
    throw new StorageError('INVALID_ACTION', `storage action ${action} is not emulated`);
  }

  /** Whether a client (`openid`; null: a function or the console, which may do anything) may `right` the file at `path`. */
  private allows(right: 'read' | 'write', path: string, openid: string | null): boolean {
    if (openid === null) return true;
    const owner = this.owner(path) ?? openid;
    return this.may[right]({ auth: openid ? { openid, loginType: 'WECHAT' } : null, resource: { openid: owner, path } });
  }

  /** The file's creator from the mini-program ('' for a function's or the seed's), or null if there is no file. */
  private owner(path: string): string | null {
    const file = this.db.store.get(FILES, path) as unknown as StoredFile | undefined;
    return file ? (file.openid ?? '') : null;
  }

  /** Writes a file directly (the seed, tests), as an upload would; `openid` is the uploading member's, if one did. */
  put(path: string, bytes: Buffer, contentType?: string, openid = ''): string {
    checkPath(path);
    if (bytes.length > MAX_FILE_BYTES) throw new StorageError('INVALID_PARAM', `a file is at most ${MAX_FILE_BYTES} bytes`);
    const file: StoredFile = {
      _id: path,
      contentType: contentType || TYPES[extname(path).toLowerCase()] || 'application/octet-stream',
      size: bytes.length,
      data: bytes.toString('base64'),
      uploadedAt: this.now(),
      openid,
    };
    this.db.apply([{ collection: FILES, id: path, doc: file as unknown as Doc, mode: 'put' }]);
    return this.fileId(path);
  }

  /** Whether a file is stored at `path` (without reading its bytes). */
  has(path: string): boolean {
    return this.db.store.has(FILES, path);
  }

  /** A file's bytes and type, or undefined. */
  read(path: string): { bytes: Buffer; contentType: string } | undefined {
    const file = this.db.store.get(FILES, path) as unknown as StoredFile | undefined;
    return file && { bytes: Buffer.from(file.data, 'base64'), contentType: file.contentType };
  }

  /** The PUT to an upload URL (`/_emu/cos/<path>`): only with the authorization handed out for that path, once, in time. */
  upload(path: string, authorization: string | undefined, bytes: Buffer, contentType: string | undefined): void {
    const grant = authorization ? this.uploads.get(authorization) : undefined;
    if (!grant || grant.path !== path || grant.expires < Date.now()) throw new HttpError(403, 'SignatureDoesNotMatch');
    this.uploads.delete(authorization as string);
    this.put(path, bytes, contentType && contentType !== 'application/octet-stream' ? contentType : undefined, grant.openid);
  }

  /** A GET of a temporary URL: the file, if the signature is this emulator's and the URL has not expired. */
  download(path: string, expires: string | null, sign: string | null): { bytes: Buffer; contentType: string } {
    if (!expires || !sign || !this.signatureMatches(path, expires, sign))
      throw new HttpError(403, 'the temporary URL is not signed by this emulator');
    if (Number(expires) < this.now().getTime()) throw new HttpError(403, 'the temporary URL has expired');
    const file = this.read(path);
    if (!file) throw new HttpError(404, 'no such file');
    return file;
  }

  /** Forgets upload grants (reset): files themselves go with the database. */
  clear(): void {
    this.uploads.clear();
  }

  private uploadMetadata(body: Json, openid: string | null): Json {
    const path = checkPath(body['path']);
    if (!this.allows('write', path, openid)) throw denied(path);
    const token = randomBytes(24).toString('hex');
    this.uploads.set(token, { path, expires: Date.now() + UPLOAD_TTL_MS, openid: openid ?? '' });
    return {
      url: `${this.baseUrl()}/_emu/cos/${encodePath(path)}`,
      token,
      authorization: token,
      fileId: this.fileId(path),
      cosFileId: randomBytes(12).toString('hex'),
    };
  }

  private list(value: unknown): unknown[] {
    if (!Array.isArray(value) || value.length === 0 || value.length > 50) throw new StorageError('INVALID_PARAM', 'a list of 1–50 files');
    return value;
  }

  private downloadUrl(entry: unknown, openid: string | null): Json {
    const { fileid, max_age } = (typeof entry === 'object' && entry !== null ? entry : { fileid: entry }) as Json;
    const path = this.pathOf(fileid);
    const maxAge = Math.min(Math.max(Number(max_age) || DEFAULT_MAX_AGE_S, 1), MAX_MAX_AGE_S);
    if (path === null || !this.has(path)) return { fileID: fileid, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST', maxAge };
    if (!this.allows('read', path, openid)) return { fileID: fileid, tempFileURL: '', code: 'STORAGE_EXCEED_AUTHORITY', maxAge };
    const expires = String(this.now().getTime() + maxAge * 1000);
    return {
      fileID: fileid,
      tempFileURL: `${this.baseUrl()}/_emu/files/${path}?t=${expires}&sign=${this.sign(path, expires)}`,
      code: 'SUCCESS',
      maxAge,
    };
  }

  private delete(fileId: unknown, openid: string | null): Json {
    const path = this.pathOf(fileId);
    if (path === null || !this.has(path)) return { fileID: fileId, code: 'STORAGE_FILE_NONEXIST' };
    if (!this.allows('write', path, openid)) return { fileID: fileId, code: 'STORAGE_EXCEED_AUTHORITY' };
    this.db.apply([{ collection: FILES, id: path, doc: null, mode: 'put' }]);
    return { fileID: fileId, code: 'SUCCESS' };
  }

  private sign(path: string, expires: string): string {
    return createHmac('sha256', this.secret).update(`${path}\n${expires}`).digest('hex');
  }

  private signatureMatches(path: string, expires: string, sign: string): boolean {
    const expected = Buffer.from(this.sign(path, expires));
    const given = Buffer.from(sign);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

const denied = (path: string) =>
  new StorageError('STORAGE_EXCEED_AUTHORITY', `Have no access right to the storage: the storage rules refuse writing ${path}`);
