import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

/** The API key pair the SDKs sign /admin requests with (TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY). */
export interface Credentials {
  secretId: string;
  secretKey: string;
}

function generate(): Credentials {
  return { secretId: `AKIDemu${randomBytes(12).toString('hex')}`, secretKey: randomBytes(24).toString('base64url') };
}

/** One pair per process for in-memory databases: every ':memory:' emulator of a test process shares it. */
let inMemory: Credentials | undefined;

/** Where the emulator keeps the key pair of a database file: beside it. */
export function credentialsFile(dbFile: string): string {
  return `${dbFile}.credentials.json`;
}

/**
 * The key pair of this database: made on first start and kept beside the file (readable
 * by its owner only), so SDK clients outside the emulator can read it and a restart keeps it.
 */
export function loadCredentials(dbFile: string): Credentials {
  if (dbFile === ':memory:') {
    inMemory ??= generate();
    return inMemory;
  }
  const file = credentialsFile(dbFile);
  try {
    writeFileSync(file, `${JSON.stringify(generate(), null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Credentials>;
  if (typeof stored.secretId !== 'string' || !stored.secretId || typeof stored.secretKey !== 'string' || !stored.secretKey)
    throw new Error(`${file}: expected {"secretId": "…", "secretKey": "…"}; delete it to have a new pair made`);
  return { secretId: stored.secretId, secretKey: stored.secretKey };
}
