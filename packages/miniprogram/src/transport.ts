import type { ClientContext } from './context.js';
import type { MiniProgramRequestOptions, WxRequestResult } from './types.js';
import { wxRequest, type RequestInit } from './wx-calls.js';

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** The full URL of `url` under `baseUrl`; refuses another origin, which must never see the token. */
export function resolveUrl(baseUrl: string, url: string): string {
  if (typeof url !== 'string' || url === '') throw new TypeError('`url` must be a path such as "/api/me"');
  if (!ABSOLUTE.test(url)) return baseUrl + (url.charAt(0) === '/' ? url : '/' + url);
  if (url === baseUrl || url.indexOf(baseUrl + '/') === 0 || url.indexOf(baseUrl + '?') === 0) return url;
  throw new TypeError(`\`url\` must be under baseUrl ${baseUrl}; the token is never sent elsewhere`);
}

/** The token header: `Bearer <token>` for `Authorization`, the bare token for any other name. */
export function tokenHeader(name: string, token: string): Record<string, string> {
  const header: Record<string, string> = {};
  header[name] = name.toLowerCase() === 'authorization' ? 'Bearer ' + token : token;
  return header;
}

/** True for a 2xx answer. */
export function isOk(result: WxRequestResult): boolean {
  return result.statusCode >= 200 && result.statusCode < 300;
}

/** Send one request to the server, with the token when one is given. */
export function send(ctx: ClientContext, options: MiniProgramRequestOptions, token: string | undefined): Promise<WxRequestResult> {
  const header = Object.assign(
    {},
    ctx.appId === undefined ? {} : { 'X-WX-AppId': ctx.appId },
    options.header,
    token === undefined ? {} : tokenHeader(ctx.header, token),
  );
  const init: RequestInit = { url: resolveUrl(ctx.baseUrl, options.url), method: options.method || 'GET', header };
  if (options.data !== undefined) init.data = options.data;
  if (options.dataType !== undefined) init.dataType = options.dataType;
  const timeout = options.timeout !== undefined ? options.timeout : ctx.timeout;
  if (timeout !== undefined) init.timeout = timeout;
  return wxRequest(ctx.wx, init);
}
