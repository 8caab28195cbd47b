/**
 * `openPush`: one request to the message-push URL, verified and read, or refused.
 */
import { isUtf8 } from 'node:buffer';
import { decryptPush, pushAesKey } from './cipher.js';
import { readPushBody } from './body.js';
import type { WechatPushEvent } from './event-types.js';
import { toPushEvent } from './event.js';
import { PUSH_BODY_LIMIT_BYTES, PUSH_TIMESTAMP_TOLERANCE_SECONDS, PushRefusal, type PushRefusalReason } from './refusal.js';
import { pushSignature, sameSignature } from './signature.js';
import type { PushFields } from './values.js';

/**
 * The query of a push request: Express's `req.query`, or a `URLSearchParams`.
 * A parameter given twice or not as text counts as missing.
 *
 * @example
 * ```ts
 * const query: PushQuery = new URL(req.url, 'http://x').searchParams;
 * ```
 */
export type PushQuery = URLSearchParams | Readonly<Record<string, unknown>>;

/**
 * One request to the push URL.
 *
 * @example
 * ```ts
 * const request: PushRequest = { method: req.method, query: req.query, body: rawBody };
 * ```
 */
export interface PushRequest {
  method: string;
  query: PushQuery;
  /** The raw body as received (a `POST`'s); ignored on `GET`. */
  body?: string | Buffer;
}

/**
 * How one app receives pushes, as set in its console (开发管理 → 消息推送).
 *
 * @example
 * ```ts
 * const config: PushConfig = { appId: 'wx…', token: process.env.PUSH_TOKEN!, encodingAESKey: process.env.PUSH_AES_KEY };
 * ```
 */
export interface PushConfig {
  /** The AppID ending each ciphertext, and the app events are reported for. */
  appId: string;
  /** The console's Token (令牌). */
  token: string;
  /** The console's EncodingAESKey: compatible and safe modes. Without it, plaintext mode. */
  encodingAESKey?: string;
  /** Clock in milliseconds, for the timestamp check. Default `Date.now`. */
  now?: () => number;
}

/**
 * What a push request comes to: the URL check's `echostr` to answer as
 * plain text, a verified event (answer `success`), or a refusal (answer 401
 * `WECHAT_PUSH_REJECTED`, change nothing).
 *
 * @example
 * ```ts
 * const outcome = openPush(request, config);
 * if (outcome.kind === 'echo') res.type('text/plain').send(outcome.echostr);
 * ```
 */
export type PushOutcome = { kind: 'echo'; echostr: string } | { kind: 'event'; event: WechatPushEvent } | { kind: 'refused'; reason: PushRefusalReason };

const TIMESTAMP = /^[0-9]{1,12}$/;
const NONCE = /^[\x21-\x7e]{1,64}$/;
const ECHOSTR = /^[\x21-\x7e]{1,256}$/;

function param(query: PushQuery, name: string): string | undefined {
  if (query instanceof URLSearchParams) {
    const all = query.getAll(name);
    return all.length === 1 ? all[0] : undefined;
  }
  const value = query !== null && typeof query === 'object' && Object.hasOwn(query, name) ? query[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function required(query: PushQuery, name: string, shape: RegExp): string {
  const value = param(query, name);
  if (value === undefined || !shape.test(value)) throw new PushRefusal('missing_parameter');
  return value;
}

function checkConfig(config: PushConfig): void {
  if (config === null || typeof config !== 'object') throw new TypeError('config must be { appId, token, encodingAESKey? }');
  if (typeof config.appId !== 'string' || config.appId === '') throw new TypeError('appId must be a non-empty string');
  if (typeof config.token !== 'string' || config.token === '') throw new TypeError('token must be a non-empty string');
  if (config.encodingAESKey !== undefined) pushAesKey(config.encodingAESKey);
}

/** The request's timestamp and nonce, the timestamp within the tolerance of the clock. */
function freshness(query: PushQuery, config: PushConfig): { timestamp: string; nonce: string } {
  const timestamp = param(query, 'timestamp');
  const nonce = required(query, 'nonce', NONCE);
  if (timestamp === undefined) throw new PushRefusal('missing_parameter');
  if (!TIMESTAMP.test(timestamp)) throw new PushRefusal('bad_timestamp');
  const nowSeconds = (config.now ?? Date.now)() / 1000;
  if (Math.abs(nowSeconds - Number(timestamp)) > PUSH_TIMESTAMP_TOLERANCE_SECONDS) throw new PushRefusal('stale_timestamp');
  return { timestamp, nonce };
}

function bodyText(body: string | Buffer | undefined): string {
  if (typeof body === 'string') {
    if (Buffer.byteLength(body, 'utf8') > PUSH_BODY_LIMIT_BYTES) throw new PushRefusal('body_too_large');
    return body;
  }
  if (!Buffer.isBuffer(body)) throw new PushRefusal('malformed_body');
  if (body.length > PUSH_BODY_LIMIT_BYTES) throw new PushRefusal('body_too_large');
  if (!isUtf8(body)) throw new PushRefusal('malformed_body');
  return body.toString('utf8');
}

/** The message of a compatible- or safe-mode push: `msg_signature` over `Encrypt`, then decrypted. */
function encryptedMessage(query: PushQuery, envelope: PushFields, config: PushConfig & { encodingAESKey: string }): PushFields {
  const msgSignature = param(query, 'msg_signature');
  const encrypt = envelope.Encrypt;
  if (msgSignature === undefined || typeof encrypt !== 'string') throw new PushRefusal('encryption_required');
  const { timestamp, nonce } = freshness(query, config);
  if (!sameSignature(pushSignature(config.token, timestamp, nonce, encrypt), msgSignature)) throw new PushRefusal('bad_signature');
  return readPushBody(decryptPush(config.encodingAESKey, encrypt, config.appId), 'malformed_message');
}

/** The message of a plaintext-mode push: `signature` over token, timestamp and nonce (it covers no body). */
function plainMessage(query: PushQuery, text: string, config: PushConfig): PushFields {
  if (param(query, 'msg_signature') !== undefined || param(query, 'encrypt_type') !== undefined) throw new PushRefusal('encryption_not_configured');
  const { timestamp, nonce } = freshness(query, config);
  if (!sameSignature(pushSignature(config.token, timestamp, nonce), param(query, 'signature'))) throw new PushRefusal('bad_signature');
  const fields = readPushBody(text, 'malformed_body');
  if (Object.hasOwn(fields, 'Encrypt')) throw new PushRefusal('encryption_not_configured');
  return fields;
}

function open(request: PushRequest, config: PushConfig): PushOutcome {
  const query = request.query;
  if (request.method === 'GET') {
    const echostr = required(query, 'echostr', ECHOSTR);
    const { timestamp, nonce } = freshness(query, config);
    if (!sameSignature(pushSignature(config.token, timestamp, nonce), param(query, 'signature'))) throw new PushRefusal('bad_signature');
    return { kind: 'echo', echostr };
  }
  if (request.method !== 'POST') throw new PushRefusal('method_not_allowed');
  const text = bodyText(request.body);
  const { encodingAESKey } = config;
  const message =
    encodingAESKey === undefined
      ? plainMessage(query, text, config)
      : encryptedMessage(query, readPushBody(text, 'malformed_body'), { ...config, encodingAESKey });
  return { kind: 'event', event: toPushEvent(message, config.appId) };
}

/**
 * Verify and read one request to the message-push URL of an app.
 *
 * - `GET` (the console's URL check): `signature` over token, timestamp and
 *   nonce; answers `echostr` as received.
 * - `POST` without `encodingAESKey` (plaintext mode): `signature` over token,
 *   timestamp and nonce, the body JSON or XML. That signature covers no body:
 *   prefer safe mode.
 * - `POST` with `encodingAESKey` (compatible and safe modes): `msg_signature`
 *   over token, timestamp, nonce and `Encrypt`, then `Encrypt` decrypted and
 *   its AppID checked; plaintext fields beside it are ignored, and
 *   `signature` alone is never enough.
 *
 * Every request's `timestamp` must be within {@link PUSH_TIMESTAMP_TOLERANCE_SECONDS}
 * of the clock. A retry or a replay of a push gives an event with the same `id`.
 *
 * @throws TypeError when `config` is malformed (never for anything in the request)
 *
 * @example
 * ```ts
 * const outcome = openPush({ method: req.method, query: req.query, body: rawBody }, { appId, token, encodingAESKey });
 * if (outcome.kind === 'refused') throw new WechatError('WECHAT_PUSH_REJECTED', `push refused: ${outcome.reason}`);
 * ```
 */
export function openPush(request: PushRequest, config: PushConfig): PushOutcome {
  checkConfig(config);
  try {
    if (request === null || typeof request !== 'object') throw new PushRefusal('method_not_allowed');
    return open(request, config);
  } catch (error) {
    if (error instanceof PushRefusal) return { kind: 'refused', reason: error.reason };
    throw error;
  }
}
