/**
 * Routes each request: WeChat APIs (counted, faults applied) or control endpoints.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deliverFault, type FaultBook } from './faults.js';
import { readBody, sendReply, sendTooLarge, type Reply } from './http-io.js';
import { classicToken, jscode2session, stableToken } from './routes-auth.js';
import { CONTROL_PREFIX, controlOriginAllowed, controlRoute, corsHeaders, FOREIGN_ORIGIN } from './routes-control.js';
import { checkSession, getUserPhoneNumber, resetUserSessionKey } from './routes-wxa.js';
import type { RouteRequest, StandInState } from './state.js';
import type { StandInApi, WechatStandIn } from './types.js';

interface ApiRoute {
  api: StandInApi;
  handle: (state: StandInState, request: RouteRequest) => Reply;
}

const API_ROUTES: ReadonlyMap<string, ApiRoute> = new Map([
  ['/sns/jscode2session', { api: 'jscode2session', handle: jscode2session }],
  ['/cgi-bin/stable_token', { api: 'stable_token', handle: stableToken }],
  ['/cgi-bin/token', { api: 'token', handle: classicToken }],
  ['/wxa/business/getuserphonenumber', { api: 'getuserphonenumber', handle: getUserPhoneNumber }],
  ['/wxa/checksession', { api: 'checksession', handle: checkSession }],
  ['/wxa/resetusersessionkey', { api: 'resetusersessionkey', handle: resetUserSessionKey }],
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
  deps.state.calls[route.api] += 1;
  const body = await readBody(req);
  if (body === undefined) {
    sendTooLarge(req, res);
    return;
  }
  const request: RouteRequest = { query: url.searchParams, body };
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
