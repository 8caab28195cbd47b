/**
 * A push as WeChat builds it: the message in JSON or XML, signed, and for
 * the compatible and safe modes encrypted, with the query of its mode.
 */
import { createHash, randomInt } from 'node:crypto';
import { encryptPush, pushAesKey } from '../push/cipher.js';
import { pushSignature } from '../push/signature.js';
import type { StandInPushFormat, StandInPushInput, StandInPushMessage, StandInPushMode, StandInPushValue } from './types-push.js';

/** The UserName the stand-in's push service sends from (authorization changes come from WeChat's service, not the user). */
export const PUSH_SERVICE_NAME = 'o_standin_push_service_00000';

/** An app's push settings, checked. */
export interface PushSettings {
  appId: string;
  token: string;
  encodingAESKey?: string;
}

/** A built request: the query of its mode and the body. */
export interface BuiltPush {
  query: URLSearchParams;
  body: string;
  contentType: string;
}

/** The push settings of an app, checked (a TypeError names the option that is wrong). */
export function pushSettings(input: StandInPushInput, appId: string, name: string): PushSettings {
  if (input === null || typeof input !== 'object') throw new TypeError(`${name} must be an object { token, encodingAESKey? }`);
  if (typeof input.token !== 'string' || input.token === '') throw new TypeError(`${name}.token must be a non-empty string`);
  if (input.encodingAESKey === undefined) return { appId, token: input.token };
  pushAesKey(input.encodingAESKey);
  return { appId, token: input.token, encodingAESKey: input.encodingAESKey };
}

/** The app's `gh_` UserName, derived from its AppID. */
export function ghName(appId: string): string {
  return `gh_${createHash('sha256').update(appId).digest('hex').slice(0, 12)}`;
}

/** The message with WeChat's header fields filled in where not given. */
export function withHeader(message: StandInPushMessage, appId: string, nowMs: number): StandInPushMessage {
  const header: StandInPushMessage = { ToUserName: ghName(appId), FromUserName: PUSH_SERVICE_NAME, CreateTime: Math.floor(nowMs / 1000) };
  if (message.Event !== undefined) header.MsgType = 'event';
  return { ...header, ...message };
}

function jsonOf(value: StandInPushValue): string {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(jsonOf).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([name, item]) => `${JSON.stringify(name)}:${jsonOf(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function xmlElement(name: string, value: StandInPushValue): string {
  if (Array.isArray(value)) return value.map((item) => xmlElement(name, item)).join('');
  if (value === null) return `<${name}></${name}>`;
  if (typeof value === 'object') return `<${name}>${xmlFields(value)}</${name}>`;
  if (typeof value === 'string') return `<${name}><![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]></${name}>`;
  return `<${name}>${String(value)}</${name}>`;
}

function xmlFields(fields: { [name: string]: StandInPushValue }): string {
  return Object.entries(fields)
    .map(([name, value]) => xmlElement(name, value))
    .join('');
}

/** The message as text in a format. */
export function serialize(fields: { [name: string]: StandInPushValue }, format: StandInPushFormat): string {
  return format === 'json' ? jsonOf(fields) : `<xml>${xmlFields(fields)}</xml>`;
}

function userOf(message: StandInPushMessage): string | undefined {
  const user = message.OpenID ?? message.OpenId ?? message.FromUserName;
  return typeof user === 'string' ? user : undefined;
}

/**
 * One request carrying `message` (already given its header) in a mode and
 * format, timestamped `nowMs`, with a new nonce (and ciphertext).
 */
export function buildPush(settings: PushSettings, message: StandInPushMessage, mode: StandInPushMode, format: StandInPushFormat, nowMs: number): BuiltPush {
  const timestamp = String(Math.floor(nowMs / 1000));
  const nonce = String(randomInt(100_000_000, 2_000_000_000));
  const query = new URLSearchParams({ signature: pushSignature(settings.token, timestamp, nonce), timestamp, nonce });
  const contentType = format === 'json' ? 'application/json' : 'text/xml';
  const text = serialize(message, format);
  if (mode === 'plaintext') return { query, body: text, contentType };
  const Encrypt = encryptPush(settings.encodingAESKey ?? '', text, settings.appId);
  const user = userOf(message);
  if (user !== undefined) query.set('openid', user);
  query.set('encrypt_type', 'aes');
  query.set('msg_signature', pushSignature(settings.token, timestamp, nonce, Encrypt));
  const envelope: StandInPushMessage = mode === 'safe' ? { ToUserName: message.ToUserName ?? ghName(settings.appId), Encrypt } : { ...message, Encrypt };
  return { query, body: serialize(envelope, format), contentType };
}
