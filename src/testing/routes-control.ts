/**
 * Control endpoints under `/__standin/`, so another process or a page on
 * loopback can drive the stand-in. JSON in and out. They mint a login for
 * any openid: a request from a page whose origin is not loopback is refused
 * (403, nothing done), and CORS allows loopback origins only.
 *
 * POST `login` `{openid?, unionid?, blocked?, appId?}` → `{code, openid, appId}`;
 * POST `wecom-login` `{userId?, corpId?}` → `{code, userId, corpId}`;
 * POST `phone-code`, `encrypt-phone`, `encrypt-userinfo` (`openid`, optional `appId`);
 * POST `authorizer-token` `{appId}` → `{accessToken}`; GET `component-token` → `{accessToken}`;
 * POST `risk-rank` `{openid, rank, appId?, unionId?}` → `{ok}` (what getuserriskrank answers);
 * POST `fail`, `heal`, `reset-calls`, `invalidate-tokens`, `omit-phone-info`;
 * GET `calls`, `calls-by-app`, `info`.
 */
import { newOpenid, newUserId } from './crypto-helpers.js';
import { parseJsonObject } from '../json.js';
import { stringField, type Reply } from './http-io.js';
import type { StandInFaultOptions, UserInfoInput, WechatStandIn } from './types.js';

/** Path prefix of the control endpoints. */
export const CONTROL_PREFIX = '/__standin/';

/** An origin on this machine: `localhost`, `127.x.x.x` or `[::1]`, any port. */
const LOOPBACK_ORIGIN = /^https?:\/\/(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/**
 * Whether a control request may run: one sent by a process (no `Origin`), or
 * by a page served from loopback, as the demo's playground is.
 */
export function controlOriginAllowed(origin: string | undefined): boolean {
  return origin === undefined || LOOPBACK_ORIGIN.test(origin);
}

/** CORS headers of a control answer: the page's own loopback origin, never a wildcard. */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  if (origin === undefined || !LOOPBACK_ORIGIN.test(origin)) return { Vary: 'Origin' };
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}

/** The answer to a control request from a page that is not on loopback. */
export const FOREIGN_ORIGIN: Reply = {
  status: 403,
  json: { error: 'the control endpoints answer only processes and pages on loopback' },
  headers: { Vary: 'Origin' },
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

/** `{ appId }` when the body names an app, else `{}` (the main app). */
function appOption(body: Body): { appId?: string } {
  const appId = body.appId;
  if (appId === undefined || appId === null) return {};
  if (typeof appId !== 'string' || appId === '') throw new TypeError('appId must be a non-empty string');
  return { appId };
}

function login(target: WechatStandIn, body: Body): unknown {
  const openid = stringField(body, 'openid') || newOpenid();
  const unionid = body.unionid === null ? null : stringField(body, 'unionid');
  const blocked = typeof body.blocked === 'boolean' ? body.blocked : undefined;
  const app = appOption(body);
  const user = { openid, ...(unionid !== undefined && { unionid }), ...(blocked !== undefined && { blocked }), ...app };
  return { code: target.issueLoginCode(user), openid, appId: app.appId ?? target.appId };
}

function wecomLogin(target: WechatStandIn, body: Body): unknown {
  const userId = stringField(body, 'userId') || newUserId();
  const corpId = stringField(body, 'corpId') || target.corpId;
  if (corpId === undefined) throw new TypeError('corpId is required: the stand-in serves no WeCom corp');
  return { code: target.issueWecomCode({ userId, corpId }), userId, corpId };
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
  'wecom-login': wecomLogin,
  'phone-code': (target, body) => ({
    code: target.issuePhoneCode(requiredOpenid(body), stringField(body, 'phoneNumber'), appOption(body)),
  }),
  'encrypt-phone': (target, body) => {
    const watermarkAppId = stringField(body, 'watermarkAppId');
    const opts = { ...appOption(body), ...(watermarkAppId !== undefined && { watermarkAppId }) };
    return target.encryptPhone(requiredOpenid(body), stringField(body, 'phoneNumber'), opts);
  },
  'encrypt-userinfo': (target, body) => {
    const { openid: _openid, appId: _appId, ...info } = body;
    return target.encryptUserInfo(requiredOpenid(body), info as Partial<UserInfoInput>, appOption(body));
  },
  'authorizer-token': (target, body) => {
    const { appId } = appOption(body);
    if (appId === undefined) throw new TypeError('appId is required');
    return { accessToken: target.authorizerAccessToken(appId) };
  },
  'risk-rank': (target, body) => {
    const unionId = optionalNumber(body, 'unionId');
    target.setRiskRank(requiredOpenid(body), Number(body.rank), { ...appOption(body), ...(unionId !== undefined && { unionId }) });
    return { ok: true };
  },
  fail,
  heal: (target) => (target.heal(), { ok: true }),
  'reset-calls': (target) => (target.resetCalls(), { ok: true }),
  'invalidate-tokens': (target) => (target.invalidateAccessTokens(), { ok: true }),
  'omit-phone-info': (target, body) => (target.omitPhoneInfo(optionalNumber(body, 'times')), { ok: true }),
};

const GET_ROUTES: Readonly<Record<string, Handler>> = {
  calls: (target) => target.calls,
  'calls-by-app': (target) => target.callsByApp,
  'component-token': (target) => ({ accessToken: target.componentAccessToken }),
  info: (target) => ({ appId: target.appId, url: target.url, componentAppId: target.componentAppId ?? null, corpId: target.corpId ?? null }),
};

function lookup(routes: Readonly<Record<string, Handler>>, name: string): Handler | undefined {
  return Object.hasOwn(routes, name) ? routes[name] : undefined;
}

/**
 * Answer a control request; `path` starts with {@link CONTROL_PREFIX} and
 * `origin` is its `Origin` header, already checked by {@link controlOriginAllowed}.
 */
export function controlRoute(target: WechatStandIn, method: string, path: string, bodyText: string, origin?: string): Reply {
  const withCors = (status: number, json: unknown): Reply => ({ status, json, headers: corsHeaders(origin) });
  if (method === 'OPTIONS') return withCors(204, undefined);
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
