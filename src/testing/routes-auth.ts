/**
 * Routes that need no access token: `sns/jscode2session`, `cgi-bin/stable_token`, `cgi-bin/token`.
 */
import { parseJsonObject, stringField, type Reply } from './http-io.js';
import { plain, wxError } from './replies.js';
import type { RouteRequest, StandInState } from './state.js';

interface Credentials {
  appid: string | null | undefined;
  secret: string | null | undefined;
}

/** 0 when the AppID and secret are this app's, else the errcode WeChat answers with. */
function credentialError(state: StandInState, { appid, secret }: Credentials): number {
  if (appid === null || appid === undefined || appid === '') return 41002;
  if (appid !== state.appId) return 40013;
  if (secret === null || secret === undefined || secret === '') return 41004;
  if (secret !== state.appSecret) return 40125;
  return 0;
}

/** `GET /sns/jscode2session`: exchange a login code for openid and session_key. */
export function jscode2session(state: StandInState, { query }: RouteRequest): Reply {
  const now = state.now();
  const credentials = credentialError(state, { appid: query.get('appid'), secret: query.get('secret') });
  if (credentials !== 0) return wxError(credentials, now);
  if (query.get('grant_type') !== 'authorization_code') return wxError(40002, now);
  const code = query.get('js_code');
  if (code === null || code === '') return wxError(41008, now);
  const result = state.users.redeemLoginCode(code);
  if (result.kind === 'invalid') return wxError(40029, now);
  if (result.kind === 'used') return wxError(40163, now);
  if (result.kind === 'blocked') return wxError(40226, now);
  const { user } = result;
  const body: Record<string, unknown> = { session_key: user.sessionKey, openid: user.openid };
  if (user.unionid !== undefined) body.unionid = user.unionid;
  return plain(body);
}

/** `POST /cgi-bin/stable_token` (JSON body only): the stable access token. */
export function stableToken(state: StandInState, { body }: RouteRequest): Reply {
  const now = state.now();
  const json = parseJsonObject(body);
  if (!json || json.grant_type !== 'client_credential') return wxError(40002, now);
  const credentials = credentialError(state, { appid: stringField(json, 'appid'), secret: stringField(json, 'secret') });
  if (credentials !== 0) return wxError(credentials, now);
  const force = json.force_refresh === true || json.force_refresh === 'true';
  return plain({ ...state.tokens.issueStable(force) });
}

/** `GET /cgi-bin/token`: a new classic access token, replacing the previous one. */
export function classicToken(state: StandInState, { query }: RouteRequest): Reply {
  const now = state.now();
  if (query.get('grant_type') !== 'client_credential') return wxError(40002, now);
  const credentials = credentialError(state, { appid: query.get('appid'), secret: query.get('secret') });
  if (credentials !== 0) return wxError(credentials, now);
  return plain({ ...state.tokens.issueClassic() });
}
