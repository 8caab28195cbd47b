import type { ClientContext } from './context.js';
import { responseError, serverError } from './errors.js';
import type { SessionKeeper } from './session.js';
import { isOk, resolveUrl, send } from './transport.js';
import type { MiniProgramClient, MiniProgramRequestOptions, WxRequestResult } from './types.js';

const SESSION_CODES = ['WECHAT_SESSION_REQUIRED', 'WECHAT_SESSION_INVALID'];

/** True when the server refused the token itself (log in again), not the request. */
export function isSessionRefused(result: WxRequestResult): boolean {
  if (result.statusCode !== 401) return false;
  const error = serverError(result);
  return error !== null && SESSION_CODES.indexOf(error.code) !== -1;
}

/** Send with the current session; on a refused token, renew once and send once more. */
export async function sendWithSession(ctx: ClientContext, sessions: SessionKeeper, options: MiniProgramRequestOptions): Promise<WxRequestResult> {
  resolveUrl(ctx.baseUrl, options.url);
  const session = ctx.storage.read() || (await sessions.login(false));
  const first = await send(ctx, options, session.token);
  if (!isSessionRefused(first)) return first;
  const renewed = await sessions.renewAfter(session.token);
  return send(ctx, options, renewed.token);
}

/** The `request()` of a client: resolves with the body of a 2xx answer. */
export function createRequest(ctx: ClientContext, sessions: SessionKeeper): MiniProgramClient['request'] {
  return async function request<T = unknown>(options: MiniProgramRequestOptions): Promise<T> {
    const result = options.auth === false ? await send(ctx, options, undefined) : await sendWithSession(ctx, sessions, options);
    if (!isOk(result)) throw responseError(result);
    return result.data as T;
  };
}
