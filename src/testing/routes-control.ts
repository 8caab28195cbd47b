/**
 * Control endpoints under `/__standin/`, so another process or a browser page
 * can drive the stand-in. JSON in and out, with permissive CORS.
 */
import { newOpenid } from './crypto-helpers.js';
import { parseJsonObject, stringField, type Reply } from './http-io.js';
import type { StandInFaultOptions, UserInfoInput, WechatStandIn } from './types.js';

/** Path prefix of the control endpoints. */
export const CONTROL_PREFIX = '/__standin/';

/** CORS headers sent with every control answer. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '600',
};

type Body = Record<string, unknown>;
type Handler = (target: WechatStandIn, body: Body) => unknown;

function requiredOpenid(body: Body): string {
  const openid = stringField(body, 'openid');
  if (openid === undefined || openid === '') throw new TypeError('openid is required');
  return openid;
}

function optionalNumber(body: Body, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number`);
  return value;
}

function login(target: WechatStandIn, body: Body): unknown {
  const openid = stringField(body, 'openid') || newOpenid();
  const unionid = body.unionid === null ? null : stringField(body, 'unionid');
  const blocked = typeof body.blocked === 'boolean' ? body.blocked : undefined;
  const user = { openid, ...(unionid !== undefined && { unionid }), ...(blocked !== undefined && { blocked }) };
  return { code: target.issueLoginCode(user), openid };
}

function fail(target: WechatStandIn, body: Body): unknown {
  const api = body.api;
  if (api !== undefined && typeof api !== 'string') throw new TypeError('api must be a string');
  const opts: StandInFaultOptions = {};
  if (api !== undefined) opts.api = api as StandInFaultOptions['api'];
  const times = optionalNumber(body, 'times');
  if (times !== undefined) opts.times = times;
  const delayMs = optionalNumber(body, 'delayMs');
  if (delayMs !== undefined) opts.delayMs = delayMs;
  target.fail(body.mode as Parameters<WechatStandIn['fail']>[0], opts);
  return { ok: true };
}

const POST_ROUTES: Readonly<Record<string, Handler>> = {
  login,
  'phone-code': (target, body) => ({
    code: target.issuePhoneCode(requiredOpenid(body), stringField(body, 'phoneNumber')),
  }),
  'encrypt-phone': (target, body) => {
    const watermarkAppId = stringField(body, 'watermarkAppId');
    const opts = watermarkAppId === undefined ? {} : { watermarkAppId };
    return target.encryptPhone(requiredOpenid(body), stringField(body, 'phoneNumber'), opts);
  },
  'encrypt-userinfo': (target, body) => {
    const { openid: _openid, ...info } = body;
    return target.encryptUserInfo(requiredOpenid(body), info as Partial<UserInfoInput>);
  },
  fail,
  heal: (target) => (target.heal(), { ok: true }),
  'reset-calls': (target) => (target.resetCalls(), { ok: true }),
  'invalidate-tokens': (target) => (target.invalidateAccessTokens(), { ok: true }),
  'omit-phone-info': (target, body) => (target.omitPhoneInfo(optionalNumber(body, 'times')), { ok: true }),
};

const GET_ROUTES: Readonly<Record<string, Handler>> = {
  calls: (target) => target.calls,
  info: (target) => ({ appId: target.appId, url: target.url }),
};

function withCors(status: number, json: unknown): Reply {
  return { status, json, headers: { ...CORS_HEADERS } };
}

function lookup(routes: Readonly<Record<string, Handler>>, name: string): Handler | undefined {
  return Object.prototype.hasOwnProperty.call(routes, name) ? routes[name] : undefined;
}

/** Answer a control request; `path` starts with {@link CONTROL_PREFIX}. */
export function controlRoute(target: WechatStandIn, method: string, path: string, bodyText: string): Reply {
  if (method === 'OPTIONS') return { status: 204, json: undefined, headers: { ...CORS_HEADERS } };
  const name = path.slice(CONTROL_PREFIX.length);
  const handler = lookup(method === 'GET' ? GET_ROUTES : POST_ROUTES, name);
  if (!handler) {
    const known = lookup(GET_ROUTES, name) ?? lookup(POST_ROUTES, name);
    return withCors(known ? 405 : 404, { error: known ? 'method not allowed' : 'unknown control endpoint' });
  }
  const body = bodyText.trim() === '' ? {} : parseJsonObject(bodyText);
  if (!body) return withCors(400, { error: 'body must be a JSON object' });
  try {
    return withCors(200, handler(target, body));
  } catch (error) {
    return withCors(400, { error: error instanceof Error ? error.message : 'bad request' });
  }
}
