import { createDecipheriv } from 'node:crypto';
import { WechatError } from '../errors.js';
import { decodeCiphertext, decodeKey16 } from './base64.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

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
    const decipher = createDecipheriv('aes-128-cbc', key, ivBytes);
    text = utf8.decode(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
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

/** Throw `WECHAT_WATERMARK_MISMATCH` unless `data.watermark.appid` is `appId`. */
export function checkWatermark(data: { watermark?: unknown }, appId: string): void {
  const watermark = data.watermark as { appid?: unknown } | undefined;
  if (!watermark || watermark.appid !== appId) {
    throw new WechatError('WECHAT_WATERMARK_MISMATCH', 'The data carries another mini-program\'s watermark appid');
  }
}
