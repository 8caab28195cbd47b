import { createDecipheriv } from 'node:crypto';

/**
 * A straightforward decryption of WeChat's `encryptedData`, as an app would
 * write it from WeChat's documentation: base64-decode, AES-128-CBC with
 * PKCS#7 padding, JSON.parse, compare the watermark appid. No input checks
 * beyond what Node does on its own.
 *
 * @example
 * ```ts
 * const phone = referenceDecrypt(sessionKey, body.encryptedData, body.iv, appId);
 * ```
 */
export function referenceDecrypt(sessionKey: string, encryptedData: string, iv: string, appId: string): Record<string, unknown> {
  const decipher = createDecipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), Buffer.from(iv, 'base64'));
  const plain = Buffer.concat([decipher.update(Buffer.from(encryptedData, 'base64')), decipher.final()]);
  const data = JSON.parse(plain.toString('utf8')) as { watermark?: { appid?: string } };
  if (data.watermark?.appid !== appId) throw new Error('watermark appid mismatch');
  return data;
}
