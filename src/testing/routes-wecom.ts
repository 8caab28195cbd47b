/**
 * WeCom (企业微信) routes, on the same base URL as the others:
 * `GET /cgi-bin/gettoken` and `GET /cgi-bin/miniprogram/jscode2session`.
 */
import type { Reply } from './http-io.js';
import { wxError, wxOk } from './replies.js';
import type { CorpState } from './state-apps.js';
import type { RouteRequest, StandInState } from './state.js';

/** WeCom's own messages, which differ from WeChat's for the same errcodes. */
const WECOM_ERRMSG: Readonly<Record<number, string>> = {
  40001: 'invalid secret',
  40013: 'invalid corpid',
  41002: 'corpid missing',
  41004: 'corpsecret missing',
};

function wecomError(errcode: number, nowMs: number): Reply {
  return wxError(errcode, nowMs, WECOM_ERRMSG[errcode]);
}

/**
 * `GET /cgi-bin/gettoken?corpid&corpsecret`: the corp's token, the same one
 * while it is valid (with its remaining seconds). corpid missing 41002,
 * unknown 40013; secret missing 41004, wrong 40001.
 */
export function getToken(state: StandInState, { query }: RouteRequest): Reply {
  const now = state.now();
  const corpid = query.get('corpid');
  if (corpid === null || corpid === '') return wecomError(41002, now);
  const { corp } = state;
  if (!corp || corpid !== corp.corpId) return wecomError(40013, now);
  const secret = query.get('corpsecret');
  if (secret === null || secret === '') return wecomError(41004, now);
  if (secret !== corp.corpSecret) return wecomError(40001, now);
  return wxOk({ ...corp.tokens.issueCurrent('corp', false) });
}

/** The corp whose valid token the call carries, or the errcode: missing 41001, unknown or revoked 40014, expired 42001. */
function tokenCorp(state: StandInState, token: string | null): CorpState | number {
  if (token === null || token === '') return 41001;
  const { corp } = state;
  const check = corp ? corp.tokens.check(token) : 40014;
  if (!corp || check !== 0) return check === 40001 ? 40014 : check;
  return corp;
}

/**
 * `GET /cgi-bin/miniprogram/jscode2session?access_token&js_code&grant_type`:
 * a `wx.qy.login` code of the corp for its corpid, userid and session_key.
 * A `wx.login` code, another corp's, an unknown or expired one is 40029;
 * a used one 40163.
 */
export function wecomJscode2session(state: StandInState, { query }: RouteRequest): Reply {
  const now = state.now();
  const corp = tokenCorp(state, query.get('access_token'));
  if (typeof corp === 'number') return wecomError(corp, now);
  if (query.get('grant_type') !== 'authorization_code') return wecomError(40002, now);
  const code = query.get('js_code');
  if (code === null || code === '') return wecomError(41008, now);
  const result = state.codes.redeem(code, 'wecom', corp.corpId);
  if (result.kind === 'invalid') return wecomError(40029, now);
  if (result.kind === 'used') return wecomError(40163, now);
  const user = corp.users.get(result.subject);
  if (!user) return wecomError(40029, now);
  result.use();
  return { status: 200, json: { corpid: corp.corpId, userid: user.openid, session_key: user.sessionKey, errcode: 0, errmsg: 'ok' } };
}

/** The corpid a WeCom call concerns, for the per-app counts. */
export function corpNamed(state: StandInState, { query }: RouteRequest): string | undefined {
  const corpid = query.get('corpid');
  if (corpid !== null) return corpid;
  const token = query.get('access_token');
  return token !== null && state.corp?.tokens.knows(token) ? state.corp.corpId : undefined;
}
