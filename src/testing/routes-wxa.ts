/**
 * Routes that need an app's access token: phone number, checksession, resetusersessionkey.
 */
import { loginStateSignature, sameText } from './crypto-helpers.js';
import { parseJsonObject } from '../json.js';
import { stringField, type Reply } from './http-io.js';
import { wxError, wxOk } from './replies.js';
import type { AppState } from './state-apps.js';
import type { RouteRequest, StandInState } from './state.js';
import type { StandInUser } from './state-users.js';

/**
 * The app whose valid access token (stable, classic or authorizer) the call
 * carries, or the errcode answer: missing 41001, unknown 40014, replaced or
 * revoked 40001, expired 42001. The token alone says which app the call acts for.
 */
export function tokenApp(state: StandInState, query: URLSearchParams): AppState | Reply {
  const token = query.get('access_token');
  const app = state.tokenOwner(token);
  const check = app ? app.tokens.check(token) : token === null || token === '' ? 41001 : 40014;
  return app && check === 0 ? app : wxError(check, state.now());
}

export function isReply<T extends object>(value: T | Reply): value is Reply {
  return 'status' in value && 'json' in value;
}

/** The appid whose token a call carries, for the per-app counts. */
export function tokenAppId(state: StandInState, { query }: RouteRequest): string | undefined {
  return state.tokenOwner(query.get('access_token'))?.appId;
}

/** `POST /wxa/business/getuserphonenumber`: redeem a phone code sent as JSON `{code}`. */
export function getUserPhoneNumber(state: StandInState, { query, body }: RouteRequest): Reply {
  const app = tokenApp(state, query);
  if (isReply(app)) return app;
  const now = state.now();
  const json = body.trim() === '' ? {} : parseJsonObject(body);
  if (!json) return wxError(47001, now);
  const code = stringField(json, 'code');
  if (code === undefined || code === '') return wxError(40029, now);
  const result = state.codes.redeemPhone(code, app.appId, stringField(json, 'openid'));
  if (result.kind === 'invalid') return wxError(40029, now);
  if (result.kind === 'other-app') return wxError(40013, now);
  if (state.takeOmitPhoneInfo()) return wxOk();
  const { phone } = result;
  return wxOk({
    phone_info: {
      phoneNumber: phone.phoneNumber,
      purePhoneNumber: phone.purePhoneNumber,
      countryCode: Number(phone.countryCode),
      watermark: { timestamp: Math.floor(now / 1000), appid: app.appId },
    },
  });
}

/** The user (and app) whose login-state signature is valid, or the errcode answer. */
export function signedUser(state: StandInState, query: URLSearchParams): { app: AppState; user: StandInUser } | Reply {
  const app = tokenApp(state, query);
  if (isReply(app)) return app;
  const now = state.now();
  if (query.get('sig_method') !== 'hmac_sha256') return wxError(87008, now);
  const openid = query.get('openid');
  if (openid === null || openid === '') return wxError(41009, now);
  const user = app.users.get(openid);
  const signature = query.get('signature') ?? '';
  if (!user || !sameText(signature, loginStateSignature(user.sessionKey))) return wxError(87009, now);
  return { app, user };
}

/** `GET /wxa/checksession`: 0 while the signed session_key is the user's current one, else 87009. */
export function checkSession(state: StandInState, { query }: RouteRequest): Reply {
  const signed = signedUser(state, query);
  return isReply(signed) ? signed : wxOk();
}

/** `GET /wxa/resetusersessionkey`: give the user a new session_key and return it. */
export function resetUserSessionKey(state: StandInState, { query }: RouteRequest): Reply {
  const signed = signedUser(state, query);
  if (isReply(signed)) return signed;
  const { openid } = signed.user;
  return wxOk({ openid, session_key: signed.app.users.rotate(openid) });
}
