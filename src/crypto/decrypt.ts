import { isUtf8 } from 'node:buffer';
import { createDecipheriv } from 'node:crypto';
import { WechatError } from '../errors.js';
import { decodeCiphertext, decodeKey16 } from './base64.js';

/**
 * Options of {@link decryptWechatData}.
 *
 * @example
 * ```ts
 * const data = decryptWechatData(sessionKey, encryptedData, iv, { appId: 'wx4f4bc4dec97d474b' });
 * ```
 */
export interface DecryptOptions {
  /** When set, the plaintext's `watermark.appid` must equal it. */
  appId?: string | null;
}

function mismatch(cause?: unknown): WechatError {
  return new WechatError(
    'WECHAT_SESSION_KEY_MISMATCH',
    'The data does not decrypt with this session_key: it was encrypted with an older one. Log in again (wx.login), then ask the user to tap again.',
    { cause },
  );
}

/** Strip strict PKCS#7 padding (1 to 16 bytes, each holding the count); throws when it is not there. */
function unpad(padded: Buffer): Buffer {
  const count = padded[padded.length - 1] ?? 0;
  if (count < 1) throw new Error('bad padding');
  if (count > 16) throw new Error('bad padding');
  for (let i = padded.length - count; i < padded.length; i++) {
    if (padded[i] !== count) throw new Error('bad padding');
  }
  return padded.subarray(0, padded.length - count);
}

/**
 * Decrypt WeChat's `encryptedData` (AES-128-CBC, PKCS#7) with the user's
 * session_key and the given IV, parse the JSON and check the watermark.
 *
 * Throws `WECHAT_BAD_REQUEST` for malformed input, `WECHAT_SESSION_KEY_MISMATCH`
 * for well-formed data that does not decrypt or parse (a stale session_key),
 * and `WECHAT_WATERMARK_MISMATCH` for another app's data.
 *
 * @example
 * ```ts
 * const phone = decryptWechatData(sessionKey, body.encryptedData, body.iv, { appId: 'wx4f4bc4dec97d474b' });
 * ```
 */
export function decryptWechatData<T extends object = Record<string, unknown>>(
  sessionKey: string,
  encryptedData: unknown,
  iv: unknown,
  options: DecryptOptions = {},
): T {
  const key = decodeKey16(sessionKey, 'sessionKey');
  const ivBytes = decodeKey16(iv, 'iv');
  const ciphertext = decodeCiphertext(encryptedData, 'encryptedData');
  let text: string;
  try {
    const plain = unpad(createDecipheriv('aes-128-cbc', key, ivBytes).setAutoPadding(false).update(ciphertext));
    if (!isUtf8(plain)) throw new Error('plaintext is not UTF-8');
    text = plain.toString('utf8');
  } catch (cause) {
    throw mismatch(cause);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw mismatch(cause);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw mismatch();
  if (options.appId) checkWatermark(parsed as { watermark?: unknown }, options.appId);
  return parsed as T;
}

/**
 * Throw `WECHAT_WATERMARK_MISMATCH` unless `data.watermark.appid` is `appId`.
 *
 * @example
 * ```ts
 * checkWatermark(payload, 'wx4f4bc4dec97d474b'); // throws WECHAT_WATERMARK_MISMATCH for another app's data
 * ```
 */
export function checkWatermark(data: { watermark?: unknown }, appId: string): void {
  const watermark = data.watermark as { appid?: unknown } | undefined;
  if (!watermark || watermark.appid !== appId) {
    throw new WechatError('WECHAT_WATERMARK_MISMATCH', "The data carries another mini-program's watermark appid");
  }
}
