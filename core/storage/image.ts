/**
 * What a member may show as their avatar: a PNG, JPEG or WebP picture (told by its first
 * bytes, not its name), at most `AVATAR_MAX_BYTES`, uploaded to `avatars/`. Storage rules
 * can check who writes where, not what was written: the profile checks the rest.
 */
export const AVATAR_MAX_BYTES = 1024 * 1024;
export const AVATAR_FOLDER = 'avatars/';

export type ImageKind = 'png' | 'jpeg' | 'webp';

export function imageKind(bytes: Uint8Array): ImageKind | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP') return 'webp';
  return null;
}

/** Why these bytes cannot be an avatar, or null if they can. */
export function avatarProblem(bytes: Uint8Array | null): string | null {
  if (bytes === null) return '头像文件不存在，请重新上传';
  if (bytes.length > AVATAR_MAX_BYTES) return '头像需小于 1MB';
  if (imageKind(bytes) === null) return '头像需为 PNG、JPEG 或 WebP 图片';
  return null;
}

/** The cloud path of a fileID (`cloud://<env>.<bucket>/<path>`). */
export const cloudPathOf = (fileId: string): string => fileId.replace(/^cloud:\/\/[^/]+\//, '');
