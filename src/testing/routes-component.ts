/**
 * `GET /sns/component/jscode2session`: a third-party platform logs a user of
 * an authorized mini-program in with its component_access_token. Errors carry
 * errcode as a string (`"40029"`), as the sample in WeChat's docs does, so
 * clients must take a string or a number.
 */
import type { Reply } from './http-io.js';
import { plain, wxError } from './replies.js';
import { redeemLogin } from './routes-auth.js';
import type { RouteRequest, StandInState } from './state.js';

/** The errcode answer with errcode as a string. */
function stringError(errcode: number, nowMs: number): Reply {
  const reply = wxError(errcode, nowMs);
  const json = reply.json as { errcode: number; errmsg: string };
  return { ...reply, json: { errcode: String(errcode), errmsg: json.errmsg } };
}

/**
 * 0 when `component_appid` and `component_access_token` are the platform's,
 * else the errcode: component_appid missing 41002, not the platform's 40013;
 * token missing 41001, unknown, replaced or revoked 40001, expired 42001.
 */
function platformError(state: StandInState, query: URLSearchParams): number {
  const componentAppId = query.get('component_appid');
  if (componentAppId === null || componentAppId === '') return 41002;
  if (!state.component || componentAppId !== state.component.appId) return 40013;
  const check = state.component.tokens.check(query.get('component_access_token'));
  return check === 40014 ? 40001 : check;
}

/**
 * 0 when `appid` is an app that authorized the platform, else the errcode:
 * missing 41002, unknown 40013, known but not authorized (an `unauthorized`
 * app, or one that logs in with its own AppSecret) 61003.
 */
function authorizerError(state: StandInState, appid: string | null): number {
  if (appid === null || appid === '') return 41002;
  const app = state.app(appid);
  if (!app) return 40013;
  return app.kind === 'authorized' ? 0 : 61003;
}

/** `GET /sns/component/jscode2session`: openid, session_key and any unionid, as jscode2session answers them. */
export function componentJscode2session(state: StandInState, { query }: RouteRequest): Reply {
  const now = state.now();
  const platform = platformError(state, query);
  if (platform !== 0) return stringError(platform, now);
  if (query.get('grant_type') !== 'authorization_code') return stringError(40002, now);
  const appid = query.get('appid');
  const authorizer = authorizerError(state, appid);
  const app = state.app(appid);
  if (authorizer !== 0 || !app) return stringError(authorizer, now);
  const result = redeemLogin(state, app, query.get('js_code'));
  return typeof result === 'number' ? stringError(result, now) : plain(result);
}
