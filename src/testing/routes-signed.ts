/**
 * API security around a route: for an app with `apiSecurity`, the request
 * is verified and opened before the route sees it, and its answer sealed.
 */
import type { Reply } from './http-io.js';
import { wxError } from './replies.js';
import type { RouteRequest, StandInState } from './state.js';

type Handle = (state: StandInState, request: RouteRequest) => Reply;

/**
 * Where the route reads its parameters once opened: `body` (a JSON body,
 * getuserphonenumber) or `query` (everything in the query string and an
 * empty body, getuserencryptkey).
 */
export type ParamsIn = 'body' | 'query';

/** `handle` behind WeChat's side of API security, for the apps that have it. */
export function signed(handle: Handle, paramsIn: ParamsIn): Handle {
  return (state, request) => {
    const token = request.query.get('access_token');
    const app = state.tokenOwner(token);
    const security = app?.security;
    if (!app || !security) return handle(state, request);
    const urlpath = request.urlpath ?? '';
    const opened = security.open(urlpath, app.appId, request.headers ?? {}, request.body);
    if ('errcode' in opened) return wxError(opened.errcode, state.now());
    const query = new URLSearchParams({ access_token: token ?? '' });
    if (paramsIn === 'query') for (const [name, value] of Object.entries(opened.params)) query.set(name, String(value));
    const inner: RouteRequest = { ...request, query, body: paramsIn === 'query' ? '' : JSON.stringify(opened.params) };
    return security.seal(urlpath, app.appId, handle(state, inner), Math.floor(state.now() / 1000));
  };
}
