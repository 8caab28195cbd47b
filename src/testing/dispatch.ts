/**
 * Routes each request: WeChat APIs (counted, faults applied) or control endpoints.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deliverFault, type FaultBook } from './faults.js';
import { readBody, sendReply, sendTooLarge, type Reply } from './http-io.js';
import { appNamed, classicToken, jscode2session, stableToken } from './routes-auth.js';
import { componentJscode2session } from './routes-component.js';
import { CONTROL_PREFIX, controlOriginAllowed, controlRoute, corsHeaders, FOREIGN_ORIGIN } from './routes-control.js';
import { corpNamed, getToken, wecomJscode2session } from './routes-wecom.js';
import { checkSession, getUserPhoneNumber, resetUserSessionKey, tokenAppId } from './routes-wxa.js';
import { checkEncryptedMsg, getUserEncryptKey, getUserRiskRank } from './routes-business.js';
import { signed } from './routes-signed.js';
import { cancelCurrencyPay, currencyPay, queryUserBalance } from './routes-xpay.js';
import type { RouteRequest, StandInState } from './state.js';
import type { StandInApi, WechatStandIn } from './types.js';

interface ApiRoute {
  api: StandInApi;
  handle: (state: StandInState, request: RouteRequest) => Reply;
  /** The appid or corpid the call concerns, for the per-app counts. */
  owner: (state: StandInState, request: RouteRequest) => string | undefined;
}

const named = (_state: StandInState, request: RouteRequest): string | undefined => appNamed(request);

const API_ROUTES: ReadonlyMap<string, ApiRoute> = new Map<string, ApiRoute>([
  ['/sns/jscode2session', { api: 'jscode2session', handle: jscode2session, owner: named }],
  ['/cgi-bin/stable_token', { api: 'stable_token', handle: stableToken, owner: named }],
  ['/cgi-bin/token', { api: 'token', handle: classicToken, owner: named }],
  ['/wxa/business/getuserphonenumber', { api: 'getuserphonenumber', handle: signed(getUserPhoneNumber, 'body'), owner: tokenAppId }],
  ['/wxa/checksession', { api: 'checksession', handle: checkSession, owner: tokenAppId }],
  ['/wxa/resetusersessionkey', { api: 'resetusersessionkey', handle: resetUserSessionKey, owner: tokenAppId }],
  ['/wxa/business/checkencryptedmsg', { api: 'checkencryptedmsg', handle: signed(checkEncryptedMsg, 'body'), owner: tokenAppId }],
  ['/wxa/getuserriskrank', { api: 'getuserriskrank', handle: signed(getUserRiskRank, 'body'), owner: tokenAppId }],
  ['/wxa/business/getuserencryptkey', { api: 'getuserencryptkey', handle: signed(getUserEncryptKey, 'query'), owner: tokenAppId }],
  ['/sns/component/jscode2session', { api: 'component/jscode2session', handle: componentJscode2session, owner: named }],
  ['/cgi-bin/gettoken', { api: 'gettoken', handle: getToken, owner: corpNamed }],
  ['/cgi-bin/miniprogram/jscode2session', { api: 'wecom/jscode2session', handle: wecomJscode2session, owner: corpNamed }],
  ['/xpay/query_user_balance', { api: 'xpay/query_user_balance', handle: queryUserBalance, owner: tokenAppId }],
  ['/xpay/currency_pay', { api: 'xpay/currency_pay', handle: currencyPay, owner: tokenAppId }],
  ['/xpay/cancel_currency_pay', { api: 'xpay/cancel_currency_pay', handle: cancelCurrencyPay, owner: tokenAppId }],
]);

/** What the request handler works with. */
export interface DispatchDeps {
  state: StandInState;
  faults: FaultBook;
  /** The public object, for control endpoints. */
  standIn: () => WechatStandIn;
  /** Run `fn` after `ms` unless the server closes first. */
  later: (fn: () => void, ms: number) => void;
}

const NOT_FOUND: Reply = { status: 404, json: { errcode: -1, errmsg: 'no such api in the WeChat stand-in' } };
const INTERNAL: Reply = { status: 500, json: { errcode: -1, errmsg: 'stand-in internal error' } };

function answerSafely(res: ServerResponse, compute: () => Reply): void {
  let reply: Reply;
  try {
    reply = compute();
  } catch {
    reply = INTERNAL;
  }
  sendReply(res, reply);
}

async function handleControl(req: IncomingMessage, res: ServerResponse, path: string, deps: DispatchDeps): Promise<void> {
  const method = req.method ?? 'GET';
  const origin = req.headers.origin;
  if (!controlOriginAllowed(origin)) {
    req.resume();
    sendReply(res, FOREIGN_ORIGIN);
    return;
  }
  const body = method === 'OPTIONS' ? '' : await readBody(req);
  if (body === undefined) {
    for (const [name, value] of Object.entries(corsHeaders(origin))) res.setHeader(name, value);
    sendTooLarge(req, res);
    return;
  }
  answerSafely(res, () => controlRoute(deps.standIn(), method, path, body, origin));
}

async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, route: ApiRoute, deps: DispatchDeps): Promise<void> {
  deps.state.calls.count(route.api);
  const body = await readBody(req);
  if (body === undefined) {
    sendTooLarge(req, res);
    return;
  }
  const urlpath = `http://${req.headers.host ?? 'stand-in.invalid'}${url.pathname}`;
  const request: RouteRequest = { query: url.searchParams, body, headers: req.headers, urlpath };
  deps.state.calls.countFor(route.owner(deps.state, request), route.api);
  const proceed = (): void => answerSafely(res, () => route.handle(deps.state, request));
  const fault = deps.faults.take(route.api);
  if (!fault) {
    proceed();
    return;
  }
  deliverFault(fault, req, res, { now: deps.state.now, later: deps.later, proceed });
}

/** Handle one request; never throws and never leaves an unexpected error unanswered. */
export async function dispatch(req: IncomingMessage, res: ServerResponse, deps: DispatchDeps): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://stand-in.invalid');
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      await handleControl(req, res, url.pathname, deps);
      return;
    }
    const route = API_ROUTES.get(url.pathname);
    if (route) {
      await handleApi(req, res, url, route, deps);
      return;
    }
    req.resume();
    sendReply(res, NOT_FOUND);
  } catch {
    req.resume();
    sendReply(res, INTERNAL);
  }
}
