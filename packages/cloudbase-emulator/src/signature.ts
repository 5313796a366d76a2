import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Credentials } from './credentials';
import { HttpError } from './http';

/**
 * CloudBase's request signature (TC3-HMAC-SHA256, service `tcb`) as the SDKs make it with
 * @cloudbase/signature-nodejs, checked here (measured; see README.md): the Authorization
 * header names the key, the signed headers and the signed body parameters; X-Timestamp
 * is the signing second, valid for X-Signature-Expires (600) seconds.
 */
const ALGORITHM = 'TC3-HMAC-SHA256';
const VALID_SECONDS = 600;
const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/\s]+)\/(\d{4}-\d{2}-\d{2})\/tcb\/tc3_request,(?: SignedParams=([^,\s]*),)? SignedHeaders=([^,\s]+), Signature=([0-9a-f]{64})$/;

export interface Authorization {
  timestamp: number;
  date: string;
  signedParams: string[];
  signedHeaders: string[];
  signature: string;
}

/** A body parameter as signed: its key lowercased and URL-encoded, its value as text (JSON) or bytes (multipart). */
export type SignedParams = Map<string, string | Buffer>;

const refuse = (why: string) => new HttpError(401, `[SIGN_PARAM_INVALID] ${why}`, 'SIGN_PARAM_INVALID');

/** The signer's key encoding (encodeURIComponent, plus !'()*); the SDKs send the same dozen keys, so each is encoded once. */
function paramKey(key: string): string {
  let encoded = paramKeys.get(key);
  if (encoded === undefined) {
    encoded = encodeURIComponent(key.toLowerCase().trim()).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    if (paramKeys.size < 1000) paramKeys.set(key, encoded);
  }
  return encoded;
}
const paramKeys = new Map<string, string>();

/** A JSON body's parameters as the signer formats them: each value as its JSON text unless a string, trimmed. */
export function jsonParams(body: Record<string, unknown>): SignedParams {
  return new Map(
    Object.entries(body).map(([key, value]) => [paramKey(key), (typeof value === 'string' ? value : JSON.stringify(value)).trim()]),
  );
}

/** A multipart body's parameters: the bytes of each field. */
export function multipartParams(parts: Map<string, Buffer>): SignedParams {
  return new Map([...parts].map(([key, value]) => [paramKey(key), value]));
}

/** The Authorization of a request, before its body is read: this emulator's key, signed within the last ten minutes. */
export function readAuthorization(req: IncomingMessage, credentials: Credentials, nowMs = Date.now()): Authorization {
  const match = AUTHORIZATION.exec(req.headers.authorization ?? '');
  if (!match) throw refuse('no CloudBase signature (Authorization: TC3-HMAC-SHA256 …); sign with the emulator’s SecretId/SecretKey');
  const [, secretId, date, params, headers, signature] = match as unknown as string[];
  if (secretId !== credentials.secretId) throw refuse(`unknown SecretId ${secretId}`);
  const timestamp = Number(req.headers['x-timestamp']);
  if (!Number.isInteger(timestamp) || Math.abs(nowMs / 1000 - timestamp) > VALID_SECONDS) throw refuse('X-Timestamp missing or expired');
  if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) throw refuse('the credential date is not the X-Timestamp’s');
  return {
    timestamp,
    date: date as string,
    signedParams: params ? params.split(';') : [],
    signedHeaders: (headers as string).split(';'),
    signature: signature as string,
  };
}

/** Checks the signature over method, URL, the signed headers and every non-empty body parameter. */
export function verifySignature(req: IncomingMessage, auth: Authorization, params: SignedParams, credentials: Credentials): void {
  if (!auth.signedHeaders.includes('host') || !auth.signedHeaders.includes('content-type'))
    throw refuse('Host and Content-Type must be signed');
  const signed = new Set(auth.signedParams);
  for (const [key, value] of params) if (value.length > 0 && !signed.has(key)) throw refuse(`parameter ${key} is not signed`);
  // The payload's parts hashed in one update when they are text (a JSON body): each update crosses into native code.
  const payload = createHash('sha256');
  let text = '';
  for (const key of auth.signedParams) {
    const value = params.get(key);
    if (value === undefined) throw refuse(`signed parameter ${key} is missing`);
    if (typeof value === 'string') text += `&${key}=${value}\r\n`;
    else {
      payload.update(text).update(`&${key}=`).update(value);
      text = '\r\n';
    }
  }
  payload.update(text);
  const headerLines = auth.signedHeaders.map((name) => {
    const value = String(req.headers[name] ?? '');
    if (name !== 'content-type') return `${name}:${value.trim().toLowerCase()}`;
    return `${name}:${value.startsWith('multipart/form-data') ? 'multipart/form-data' : value}`;
  });
  const [path, query = ''] = (req.url ?? '/').split(/\?(.*)/s);
  const canonical = [
    (req.method ?? '').toLowerCase(),
    `//${(req.headers.host ?? '').toLowerCase()}${path}`,
    query,
    `${headerLines.join('\n')}\n`,
    auth.signedHeaders.join(';'),
    payload.digest('hex'),
  ].join('\n');
  const scope = `${auth.date}/tcb/tc3_request`;
  const toSign = `${ALGORITHM}\n${auth.timestamp}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  const expected = hmac(signingKey(credentials.secretKey, auth.date), toSign);
  if (!timingSafeEqual(expected, Buffer.from(auth.signature, 'hex'))) throw refuse('signature does not match');
}

const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();

/** The day's signing key of a secret (TC3 derives it from the secret and the date alone), kept for the day it is for. */
const signingKeys = new Map<string, Buffer>();

function signingKey(secretKey: string, date: string): Buffer {
  const id = `${date}\u0000${secretKey}`;
  let key = signingKeys.get(id);
  if (!key) {
    if (signingKeys.size > 16) signingKeys.clear();
    key = hmac(hmac(hmac(`TC3${secretKey}`, date), 'tcb'), 'tc3_request');
    signingKeys.set(id, key);
  }
  return key;
}
