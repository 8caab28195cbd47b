/**
 * Routes that need an access token: phone number, checksession, resetusersessionkey.
 */
import { loginStateSignature, sameText } from './crypto-helpers.js';
import { parseJsonObject, stringField, type Reply } from './http-io.js';
import { wxError, wxOk } from './replies.js';
import type { RouteRequest, StandInState } from './state.js';
import type { StandInUser } from './state-users.js';

/** The errcode answer for a bad `access_token`, or `undefined` when it is valid. */
function tokenProblem(state: StandInState, query: URLSearchParams): Reply | undefined {
  const check = state.tokens.check(query.get('access_token'));
  return check === 0 ? undefined : wxError(check, state.now());
}

/** `POST /wxa/business/getuserphonenumber`: redeem a phone code sent as JSON `{code}`. */
export function getUserPhoneNumber(state: StandInState, { query, body }: RouteRequest): Reply {
  const problem = tokenProblem(state, query);
  if (problem) return problem;
  const now = state.now();
  const json = body.trim() === '' ? {} : parseJsonObject(body);
  if (!json) return wxError(47001, now);
  const code = stringField(json, 'code');
  if (code === undefined || code === '') return wxError(40029, now);
  const result = state.users.redeemPhoneCode(code, stringField(json, 'openid'));
  if (result.kind === 'invalid') return wxError(40029, now);
  if (result.kind === 'other-app') return wxError(40013, now);
  if (state.takeOmitPhoneInfo()) return wxOk();
  const { phone } = result;
  return wxOk({
    phone_info: {
      phoneNumber: phone.phoneNumber,
      purePhoneNumber: phone.purePhoneNumber,
      countryCode: Number(phone.countryCode),
      watermark: { timestamp: Math.floor(now / 1000), appid: state.appId },
    },
  });
}

/** The user whose login-state signature is valid, or the errcode answer. */
function signedUser(state: StandInState, query: URLSearchParams): StandInUser | Reply {
  const problem = tokenProblem(state, query);
  if (problem) return problem;
  const now = state.now();
  if (query.get('sig_method') !== 'hmac_sha256') return wxError(87008, now);
  const openid = query.get('openid');
  if (openid === null || openid === '') return wxError(41009, now);
  const user = state.users.get(openid);
  const signature = query.get('signature') ?? '';
  if (!user || !sameText(signature, loginStateSignature(user.sessionKey))) return wxError(87009, now);
  return user;
}

function isReply(value: StandInUser | Reply): value is Reply {
  return 'status' in value;
}

/** `GET /wxa/checksession`: 0 while the signed session_key is the user's current one, else 87009. */
export function checkSession(state: StandInState, { query }: RouteRequest): Reply {
  const user = signedUser(state, query);
  return isReply(user) ? user : wxOk();
}

/** `GET /wxa/resetusersessionkey`: give the user a new session_key and return it. */
export function resetUserSessionKey(state: StandInState, { query }: RouteRequest): Reply {
  const user = signedUser(state, query);
  if (isReply(user)) return user;
  const sessionKey = state.users.rotate(user.openid);
  return wxOk({ openid: user.openid, session_key: sessionKey });
}
