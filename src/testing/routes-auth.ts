/**
 * Routes that need no access token: `sns/jscode2session`, `cgi-bin/stable_token`, `cgi-bin/token`.
 */
import { parseJsonObject } from '../json.js';
import { stringField, type Reply } from './http-io.js';
import { plain, wxError } from './replies.js';
import type { AppState } from './state-apps.js';
import type { RouteRequest, StandInState } from './state.js';

interface Credentials {
  appid: string | null | undefined;
  secret: string | null | undefined;
}

/**
 * The app when the AppID and secret are a served app's, else the errcode
 * WeChat answers with. An app of the third-party platform has no AppSecret
 * here: any secret, or none, is 40125.
 */
function appByCredentials(state: StandInState, { appid, secret }: Credentials): AppState | number {
  if (appid === null || appid === undefined || appid === '') return 41002;
  const app = state.app(appid);
  if (!app) return 40013;
  if (app.appSecret === undefined) return 40125;
  if (secret === null || secret === undefined || secret === '') return 41004;
  if (secret !== app.appSecret) return 40125;
  return app;
}

/** `GET /sns/jscode2session`: exchange a login code for openid and session_key. */
export function jscode2session(state: StandInState, { query }: RouteRequest): Reply {
  const now = state.now();
  const app = appByCredentials(state, { appid: query.get('appid'), secret: query.get('secret') });
  if (typeof app === 'number') return wxError(app, now);
  if (query.get('grant_type') !== 'authorization_code') return wxError(40002, now);
  const result = redeemLogin(state, app, query.get('js_code'));
  return typeof result === 'number' ? wxError(result, now) : plain(result);
}

/**
 * Spend a login code of `app`: the jscode2session answer, or the errcode
 * (41008 missing, 40029 unknown, of another app or expired, 40163 used,
 * 40226 blocked user; a blocked user's code stays unspent).
 */
export function redeemLogin(state: StandInState, app: AppState, code: string | null): Record<string, unknown> | number {
  if (code === null || code === '') return 41008;
  const result = state.codes.redeem(code, 'login', app.appId);
  if (result.kind === 'invalid') return 40029;
  if (result.kind === 'used') return 40163;
  const user = app.users.get(result.subject);
  if (!user) return 40029;
  if (user.blocked) return 40226;
  result.use();
  const body: Record<string, unknown> = { session_key: user.sessionKey, openid: user.openid };
  if (user.unionid !== undefined) body.unionid = user.unionid;
  return body;
}

/** `POST /cgi-bin/stable_token` (JSON body only): the stable access token of the app named. */
export function stableToken(state: StandInState, { body }: RouteRequest): Reply {
  const now = state.now();
  const json = parseJsonObject(body);
  if (json?.grant_type !== 'client_credential') return wxError(40002, now);
  const app = appByCredentials(state, { appid: stringField(json, 'appid'), secret: stringField(json, 'secret') });
  if (typeof app === 'number') return wxError(app, now);
  const force = json.force_refresh === true || json.force_refresh === 'true';
  return plain({ ...app.tokens.issueCurrent('stable', force) });
}

/** `GET /cgi-bin/token`: a new classic access token of the app named, replacing its previous one. */
export function classicToken(state: StandInState, { query }: RouteRequest): Reply {
  const now = state.now();
  if (query.get('grant_type') !== 'client_credential') return wxError(40002, now);
  const app = appByCredentials(state, { appid: query.get('appid'), secret: query.get('secret') });
  if (typeof app === 'number') return wxError(app, now);
  return plain({ ...app.tokens.replace('classic') });
}

/** The appid a call of these routes concerns, for the per-app counts. */
export function appNamed({ query, body }: RouteRequest): string | undefined {
  const fromQuery = query.get('appid');
  if (fromQuery !== null) return fromQuery;
  const json = parseJsonObject(body);
  return json ? stringField(json, 'appid') : undefined;
}
