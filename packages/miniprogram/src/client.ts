import type { ClientContext } from './context.js';
import { responseError } from './errors.js';
import { toContext } from './options.js';
import { createGetPhoneNumber } from './phone.js';
import { createRequest, isSessionRefused } from './request.js';
import { createSessionKeeper } from './session.js';
import { isOk, send } from './transport.js';
import type { LogoutOptions, MiniProgramClient, MiniProgramClientOptions } from './types.js';

/**
 * Create the mini-program side of `express-wechat-session`: it logs in with
 * `wx.login`, keeps the token in storage, sends it on every request, logs in
 * again once when the server refuses it, and handles both phone flows.
 *
 * @example
 * ```js
 * const { createMiniProgramClient } = require('express-wechat-session-miniprogram');
 * const api = createMiniProgramClient({ baseUrl: 'https://api.example.com' });
 * const me = await api.request({ url: '/api/me' }); // logs in first if needed
 * // <button open-type="getPhoneNumber" bindgetphonenumber="onPhone">
 * async function onPhone(e) { const phone = await api.getPhoneNumber(e.detail); }
 * await api.logout();
 * ```
 */
export function createMiniProgramClient(options: MiniProgramClientOptions): MiniProgramClient {
  const ctx = toContext(options);
  const sessions = createSessionKeeper(ctx);
  return {
    login: (loginOptions) => sessions.login(!!loginOptions?.force),
    request: createRequest(ctx, sessions),
    getPhoneNumber: createGetPhoneNumber(ctx, sessions),
    logout: (logoutOptions) => logout(ctx, logoutOptions),
    getSession: () => ctx.storage.read(),
  };
}

/** Revoke the session on the server (a refused token counts as done) and clear storage either way. */
async function logout(ctx: ClientContext, options: LogoutOptions | undefined): Promise<void> {
  const session = ctx.storage.read();
  if (!session) return;
  const url = options?.path ? options.path : ctx.logoutPath;
  try {
    const result = await send(ctx, { url, method: 'POST' }, session.token);
    if (!isOk(result) && !isSessionRefused(result)) throw responseError(result);
  } finally {
    ctx.storage.clear();
  }
}
