import { constants, createCipheriv, createDecipheriv, randomBytes, sign, verify } from 'node:crypto';
import { parseJsonObject } from '../json.js';
import type { ApiSecurityKeys } from './api-security-keys.js';

/**
 * WeChat's API security (API 安全) envelope, both ways: a request's
 * parameters encrypted with AES-256-GCM and the encrypted body signed with
 * RSA-PSS (SHA-256, salt 32); an answer's signature verified with the
 * platform key, then its body decrypted.
 *
 * The signed text is `urlpath\nappid\ntimestamp\nbody` with no SN in it:
 * WeChat answers 40234 to a signed text that holds one. The additional
 * authenticated data is `urlpath|appid|timestamp|aesSn`. `urlpath` is the
 * full URL without its query string.
 */

/** How far an answer's timestamp may be from our clock, seconds. */
export const ANSWER_CLOCK_SKEW_SECONDS = 300;

const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } as const;
const TIMESTAMP = /^\d{1,12}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const NOT_AN_ENVELOPE = 'answer is not an {iv, data, authtag} envelope';

/** The text RSA-PSS signs: `urlpath\nappid\ntimestamp\nbody`. */
export function signedText(urlpath: string, appId: string, timestamp: string, body: string): string {
  return `${urlpath}\n${appId}\n${timestamp}\n${body}`;
}

/** The AES-GCM additional authenticated data: `urlpath|appid|timestamp|aesSn`. */
export function additionalData(urlpath: string, appId: string, timestamp: string, aesSn: string): string {
  return `${urlpath}|${appId}|${timestamp}|${aesSn}`;
}

/** What a sealed request carries. */
export interface SealedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface SealInput {
  urlpath: string;
  appId: string;
  /** The call's own parameters (body and query fields but access_token). */
  params: Record<string, unknown>;
  /** Unix seconds. */
  timestamp: number;
  /** Random unless given (fixed only to pin a vector). */
  nonce?: string;
  iv?: Buffer;
}

/** Encrypt the parameters (with `_n`, `_appid`, `_timestamp`) and sign the body. */
export function sealRequest(keys: ApiSecurityKeys, input: SealInput): SealedRequest {
  const timestamp = String(input.timestamp);
  const plaintext = JSON.stringify({
    ...input.params,
    _n: input.nonce ?? randomBytes(16).toString('base64url'),
    _appid: input.appId,
    _timestamp: input.timestamp,
  });
  const iv = input.iv ?? randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.aesKey(), iv);
  cipher.setAAD(Buffer.from(additionalData(input.urlpath, input.appId, timestamp, keys.aesSn)));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const body = JSON.stringify({ iv: iv.toString('base64'), data: data.toString('base64'), authtag: cipher.getAuthTag().toString('base64') });
  const signature = sign('sha256', Buffer.from(signedText(input.urlpath, input.appId, timestamp, body)), { key: keys.privateKey(), ...PSS });
  return { body, headers: { 'Wechatmp-Appid': input.appId, 'Wechatmp-TimeStamp': timestamp, 'Wechatmp-Signature': signature.toString('base64') } };
}

/**
 * Why an answer was refused, as a stable code for logs and alerts:
 * - `unsigned`: no `Wechatmp-Signature` or `Wechatmp-TimeStamp` header;
 * - `other-appid`: `Wechatmp-Appid` names another app;
 * - `other-platform-key`: `Wechatmp-Serial` names another platform certificate;
 * - `bad-timestamp`: the timestamp is not Unix seconds;
 * - `stale`: the timestamp is more than 5 minutes from our clock (a replay, or a clock to set right);
 * - `bad-signature`: the signature does not verify with the platform key;
 * - `bad-envelope`: the body is not `{iv, data, authtag}` of base64, a 12-byte iv and a 16-byte tag;
 * - `undecryptable`: AES-GCM refuses it (another key, other additional data, a changed body);
 * - `bad-content`: it decrypts to something other than a JSON object of this appid and timestamp.
 */
export type UnverifiedReason =
  | 'unsigned'
  | 'other-appid'
  | 'other-platform-key'
  | 'bad-timestamp'
  | 'stale'
  | 'bad-signature'
  | 'bad-envelope'
  | 'undecryptable'
  | 'bad-content';

/** Why an answer was not taken; never holds key material or the answer's content. */
export class UnverifiedAnswer extends Error {
  readonly reason: UnverifiedReason;

  constructor(reason: UnverifiedReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

export interface AnswerInput {
  urlpath: string;
  appId: string;
  headers: { get(name: string): string | null };
  text: string;
  /** Unix seconds. */
  nowSeconds: number;
}

/**
 * Verify an answer's signature with the platform key, its timestamp
 * (within {@link ANSWER_CLOCK_SKEW_SECONDS}) and appid, then decrypt it.
 * Throws {@link UnverifiedAnswer} for anything else.
 */
export function openAnswer(keys: ApiSecurityKeys, input: AnswerInput): Record<string, unknown> {
  const timestamp = signedTimestamp(keys, input);
  const json = parseObject(openEnvelope(keys, input, timestamp), 'bad-content', 'decrypted answer is not a JSON object');
  if ((json._appid !== undefined && json._appid !== input.appId) || (json._timestamp !== undefined && String(json._timestamp) !== timestamp)) {
    throw new UnverifiedAnswer('bad-content', 'decrypted answer names another appid or timestamp');
  }
  const { _n, _appid, _timestamp, ...answer } = json;
  return answer;
}

/** The answer's timestamp, once its headers name our app and platform key, it is fresh, and the signature verifies. */
function signedTimestamp(keys: ApiSecurityKeys, { urlpath, appId, headers, text, nowSeconds }: AnswerInput): string {
  const signature = headers.get('wechatmp-signature');
  const timestamp = headers.get('wechatmp-timestamp');
  if (!signature || !timestamp) throw new UnverifiedAnswer('unsigned', 'answer is not signed');
  if (headers.get('wechatmp-appid') !== appId) throw new UnverifiedAnswer('other-appid', 'answer signed for another appid');
  const serial = headers.get('wechatmp-serial');
  if (serial !== null && serial !== keys.platformSn) throw new UnverifiedAnswer('other-platform-key', 'answer signed with another platform key');
  if (!TIMESTAMP.test(timestamp)) throw new UnverifiedAnswer('bad-timestamp', 'answer timestamp is not Unix seconds');
  if (Math.abs(Number(timestamp) - nowSeconds) > ANSWER_CLOCK_SKEW_SECONDS)
    throw new UnverifiedAnswer('stale', 'answer timestamp is more than 5 minutes off (replayed or stale)');
  const signed = Buffer.from(signedText(urlpath, appId, timestamp, text));
  if (!BASE64.test(signature) || !verify('sha256', signed, { key: keys.platformKey(), ...PSS }, Buffer.from(signature, 'base64'))) {
    throw new UnverifiedAnswer('bad-signature', 'answer signature does not verify with the platform key');
  }
  return timestamp;
}

/** The plaintext of the answer's `{iv, data, authtag}` envelope. */
function openEnvelope(keys: ApiSecurityKeys, { urlpath, appId, text }: AnswerInput, timestamp: string): string {
  const { iv, data, authtag } = parseObject(text, 'bad-envelope', NOT_AN_ENVELOPE);
  if (typeof iv !== 'string' || typeof data !== 'string' || typeof authtag !== 'string' || ![iv, data, authtag].every((t) => BASE64.test(t))) {
    throw new UnverifiedAnswer('bad-envelope', NOT_AN_ENVELOPE);
  }
  const tag = Buffer.from(authtag, 'base64');
  const nonce = Buffer.from(iv, 'base64');
  if (tag.length !== 16 || nonce.length !== 12) throw new UnverifiedAnswer('bad-envelope', 'answer iv or authtag has the wrong length');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.aesKey(), nonce);
    decipher.setAAD(Buffer.from(additionalData(urlpath, appId, timestamp, keys.aesSn)));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString();
  } catch {
    throw new UnverifiedAnswer('undecryptable', 'answer does not decrypt (wrong key, additional data or a corrupt body)');
  }
}

/** The JSON object `text` holds; anything else is refused for `reason`. */
function parseObject(text: string, reason: UnverifiedReason, message: string): Record<string, unknown> {
  const value = parseJsonObject(text);
  if (!value) throw new UnverifiedAnswer(reason, message);
  return value;
}
