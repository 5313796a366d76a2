/**
 * The two encodings wx-server-sdk uses for `wx.openApi`: a multipart/form-data request
 * whose `requestData` is a protobuf `CommApiData`, answered by a protobuf
 * `CommOpenApiResp`. Only the fields the SDK uses are read or written.
 */

/** Splits a multipart/form-data body into its named parts. */
export function parseMultipart(body: Buffer, contentType: string): Map<string, Buffer> {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw new Error('multipart body without boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts = new Map<string, Buffer>();
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2); // skip CRLF after delimiter and before next
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const name = /name="([^"]+)"/.exec(part.subarray(0, headerEnd).toString('utf8'))?.[1];
      if (name) parts.set(name, part.subarray(headerEnd + 4));
    }
    start = next;
  }
  return parts;
}

type Field = { number: number; wireType: number; value: bigint | Buffer };

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const byte = buf[pos++];
    if (byte === undefined) throw new Error('truncated varint');
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
}

function readFields(buf: Buffer): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [tag, afterTag] = readVarint(buf, pos);
    const number = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (wireType === 0) {
      const [value, next] = readVarint(buf, afterTag);
      fields.push({ number, wireType, value });
      pos = next;
    } else if (wireType === 2) {
      const [length, next] = readVarint(buf, afterTag);
      const end = next + Number(length);
      fields.push({ number, wireType, value: buf.subarray(next, end) });
      pos = end;
    } else {
      throw new Error(`unsupported protobuf wire type ${wireType}`);
    }
  }
  return fields;
}

/** `CommApiData.openapiData.pairs` (field 2 → field 1 repeated → key 1, value 2) as JSON values. */
export function decodeOpenApiPairs(requestData: Buffer): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const field of readFields(requestData)) {
    if (field.number !== 2 || !Buffer.isBuffer(field.value)) continue;
    for (const pair of readFields(field.value)) {
      if (pair.number !== 1 || !Buffer.isBuffer(pair.value)) continue;
      let key = '';
      let value: Buffer = Buffer.alloc(0);
      for (const kv of readFields(pair.value)) {
        if (kv.number === 1 && Buffer.isBuffer(kv.value)) key = kv.value.toString('utf8');
        if (kv.number === 2 && Buffer.isBuffer(kv.value)) value = kv.value;
      }
      params[key] = JSON.parse(value.toString('utf8'));
    }
  }
  return params;
}

function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

function bytesField(number: number, value: Buffer): Buffer {
  return Buffer.concat([varint((number << 3) | 2), varint(value.length), value]);
}

/** `CommOpenApiResp { respData = 1; contentType = 2 }` carrying a WeChat JSON reply. */
export function encodeOpenApiReply(json: unknown): Buffer {
  return Buffer.concat([
    bytesField(1, Buffer.from(JSON.stringify(json), 'utf8')),
    bytesField(2, Buffer.from('application/json; charset=utf-8', 'utf8')),
  ]);
}
