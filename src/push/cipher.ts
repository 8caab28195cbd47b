/**
 * The message-push cipher: AES-256-CBC keyed by the EncodingAESKey, the IV
 * being the key's first 16 bytes, PKCS#7 padding to 32-byte blocks, over
 * `random(16) ‖ length (4 bytes, big-endian) ‖ message ‖ appid`.
 */
import { isUtf8 } from 'node:buffer';
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { PushRefusal } from './refusal.js';

const ENCODING_AES_KEY = /^[A-Za-z0-9+/]{43}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** WeChat pads to the key length, not to AES's 16-byte block. */
const BLOCK = 32;
const RANDOM_BYTES = 16;
const HEADER_BYTES = RANDOM_BYTES + 4;

/**
 * The 32-byte AES key of a 43-character EncodingAESKey. Only the alphabet
 * and the length are checked: WeChat's keys are often non-canonical base64
 * (non-zero bits in the last character), which the decoder accepts.
 *
 * @throws TypeError when the key is not 43 base64 characters
 *
 * @example
 * ```ts
 * pushAesKey('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG').length; // 32
 * ```
 */
export function pushAesKey(encodingAESKey: string): Buffer {
  if (typeof encodingAESKey !== 'string' || !ENCODING_AES_KEY.test(encodingAESKey)) {
    throw new TypeError('encodingAESKey must be the 43 characters (A-Z, a-z, 0-9, + and /) shown in the console');
  }
  return Buffer.from(`${encodingAESKey}=`, 'base64');
}

function unpad(padded: Buffer): Buffer {
  const count = padded[padded.length - 1] ?? 0;
  if (count < 1 || count > BLOCK) throw new PushRefusal('bad_ciphertext');
  for (let i = padded.length - count; i < padded.length; i += 1) {
    if (padded[i] !== count) throw new PushRefusal('bad_ciphertext');
  }
  return padded.subarray(0, padded.length - count);
}

function decodeEncrypt(encrypt: unknown): Buffer {
  if (typeof encrypt !== 'string' || encrypt.length % 4 !== 0 || !BASE64.test(encrypt)) throw new PushRefusal('bad_ciphertext');
  const bytes = Buffer.from(encrypt, 'base64');
  if (bytes.length === 0 || bytes.length % BLOCK !== 0) throw new PushRefusal('bad_ciphertext');
  return bytes;
}

/**
 * Decrypt a push's `Encrypt` and return the message text. The AppID that
 * ends the plaintext must be `appId` (compared in constant time): the
 * mini-program's own, a third-party platform's component AppID, or a WeCom corpid.
 *
 * @throws PushRefusal `bad_ciphertext` (base64, block length, padding, length prefix, UTF-8) or `wrong_app_id`
 * @throws TypeError when `encodingAESKey` is malformed (a configuration error)
 *
 * @example
 * ```ts
 * const message = decryptPush(encodingAESKey, body.Encrypt, 'wxba5fad812f8e6fb9');
 * ```
 */
export function decryptPush(encodingAESKey: string, encrypt: unknown, appId: string): string {
  const key = pushAesKey(encodingAESKey);
  const ciphertext = decodeEncrypt(encrypt);
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = unpad(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  if (plain.length < HEADER_BYTES) throw new PushRefusal('bad_ciphertext');
  const length = plain.readUInt32BE(RANDOM_BYTES);
  if (length > plain.length - HEADER_BYTES) throw new PushRefusal('bad_ciphertext');
  const message = plain.subarray(HEADER_BYTES, HEADER_BYTES + length);
  const trailer = plain.subarray(HEADER_BYTES + length);
  const expected = Buffer.from(appId, 'utf8');
  if (trailer.length !== expected.length || !timingSafeEqual(trailer, expected)) throw new PushRefusal('wrong_app_id');
  if (!isUtf8(message)) throw new PushRefusal('bad_ciphertext');
  return message.toString('utf8');
}

/**
 * Encrypt a message as WeChat does for a push (and as a reply is encrypted).
 *
 * @param random - the 16 leading bytes; random when omitted
 * @throws TypeError when the key is malformed or `random` is not 16 bytes
 *
 * @example
 * ```ts
 * const encrypt = encryptPush(encodingAESKey, JSON.stringify(message), appId);
 * const msgSignature = pushSignature(token, timestamp, nonce, encrypt);
 * ```
 */
export function encryptPush(encodingAESKey: string, message: string, appId: string, random: Buffer = randomBytes(RANDOM_BYTES)): string {
  const key = pushAesKey(encodingAESKey);
  if (!Buffer.isBuffer(random) || random.length !== RANDOM_BYTES) throw new TypeError('random must be 16 bytes');
  const text = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(text.length);
  const plain = Buffer.concat([random, length, text, Buffer.from(appId, 'utf8')]);
  const count = BLOCK - (plain.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(count, count)])), cipher.final()]).toString('base64');
}
