/**
 * WeChat-shaped answers: errcodes always travel with HTTP 200.
 */
import { newRid } from './crypto-helpers.js';
import type { Reply } from './http-io.js';

/** Messages WeChat sends with each errcode the stand-in produces. */
export const ERRMSG: Readonly<Record<number, string>> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40097: 'invalid args',
  40125: 'invalid appsecret',
  40163: 'code been used',
  40226: 'code blocked',
  40234: 'invalid signature',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41008: 'missing code',
  41009: 'missing openid',
  42001: 'access_token expired',
  45011: 'api minute-quota reach limit, must slower, retry next minute',
  47001: 'data format error',
  61003: 'component is not authorized by this account',
  87008: 'invalid sig_method',
  87009: 'invalid signature',
  268490001: 'openid error',
  268490002: 'request field error',
  268490004: 'repeated operation',
  268490005: 'order already refunded',
  268490006: 'insufficient token balance',
};

/** `{ errcode, errmsg: "<message>, rid: <rid>" }` with HTTP 200. */
export function wxError(errcode: number, nowMs: number, message?: string): Reply {
  const text = message ?? ERRMSG[errcode] ?? 'error';
  return { status: 200, json: { errcode, errmsg: `${text}, rid: ${newRid(nowMs)}` } };
}

/** `{"errcode":0,"errmsg":"ok", ...extra}` with HTTP 200. */
export function wxOk(extra: Record<string, unknown> = {}): Reply {
  return { status: 200, json: { errcode: 0, errmsg: 'ok', ...extra } };
}

/** A success body without errcode (jscode2session, token endpoints). */
export function plain(json: Record<string, unknown>): Reply {
  return { status: 200, json };
}
