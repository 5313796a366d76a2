import type { IncomingMessage, ServerResponse } from 'node:http';

/** The largest body the gateway takes (wx.cloud.callFunction's data is far smaller in practice). */
export const MAX_EVENT_BYTES = 1024 * 1024;

/** The body, read as it arrives and refused (413) the moment it passes the limit — or at once when its declared length does. */
export async function readBody(req: IncomingMessage, limitBytes = 8 * 1024 * 1024): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > limitBytes) throw new HttpError(413, `request body over ${limitBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new HttpError(413, `request body over ${limitBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Deeper JSON than any event or SDK request has; deeper would overflow recursive walkers (IPC, mingo). */
export const MAX_JSON_DEPTH = 32;

export function parseJson(buffer: Buffer, maxDepth = MAX_JSON_DEPTH): unknown {
  if (buffer.length === 0) return {};
  const text = buffer.toString('utf8');
  if (jsonDepth(text) > maxDepth) throw new HttpError(400, `JSON nested deeper than ${maxDepth}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
}

/** The deepest bracket nesting of a JSON text, counted without recursion (strings skipped). */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) deepest = Math.max(deepest, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const CODES: Record<number, string> = {
  400: 'INVALID_INPUT',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * The JSON error reply (`{ok: false, code, message}`; anything but an HttpError is a 500
 * that says no more). A body refused before it was read is never read: the connection
 * closes once the reply is out, so a client streaming megabytes is cut off.
 */
export function sendError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  if (res.headersSent) return void req.destroy();
  const status = err instanceof HttpError ? err.status : 500;
  const code = (err instanceof HttpError ? err.code : undefined) ?? CODES[status] ?? 'INTERNAL';
  if (!req.complete) {
    res.setHeader('connection', 'close');
    res.once('finish', () => req.destroy());
  }
  sendJson(res, status, { ok: false, code, message: status === 500 ? 'emulator error' : (err as Error).message });
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The error code of the JSON reply, when the status alone does not say it. */
    readonly code?: string,
  ) {
    super(message);
  }
}

const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Refuses what a web page the developer happens to open could send a local server: a
 * request under a foreign Host (DNS rebinding: evil.example resolving to 127.0.0.1 makes
 * the browser treat our replies as that site's) or from a foreign Origin (a cross-site
 * form or fetch). Only this port on a loopback name, and pages of this same origin, pass;
 * a request without Origin (curl, the SDKs, scripts) is not a browser's cross-site one.
 */
export function refuseForeign(req: IncomingMessage, port: number): void {
  const own = LOCAL_HOSTS.map((host) => `${host}:${port}`);
  const host = req.headers.host?.toLowerCase();
  if (!host || !own.includes(host)) throw new HttpError(403, `Host ${host ?? '(none)'} is not this server`, 'INVALID_HOST');
  const origin = req.headers.origin?.toLowerCase();
  if (origin !== undefined && !own.some((h) => origin === `http://${h}`))
    throw new HttpError(403, `Origin ${origin} may not call this server`, 'INVALID_REQUEST_SOURCE');
}

/** The media type of the body, without parameters (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * A gateway POST must say its body is JSON: the content types a page may send anywhere
 * without asking (text/plain, forms) are how a cross-site page would reach us.
 */
export function requireJson(req: IncomingMessage): void {
  if (mediaType(req) !== 'application/json')
    throw new HttpError(415, `send the body as content-type: application/json (got ${req.headers['content-type'] ?? 'none'})`);
}
