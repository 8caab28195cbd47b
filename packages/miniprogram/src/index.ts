/**
 * The mini-program side of express-wechat-session, a package of its own
 * with no dependencies. In a mini-program it is what
 * `require('express-wechat-session-miniprogram')` gives after "Build npm";
 * in Node or a browser it is the same name, with a `wx`-like object passed
 * in. The server package re-exports it as `express-wechat-session/miniprogram`.
 *
 * @example
 * ```js
 * const { createMiniProgramClient } = require('express-wechat-session-miniprogram');
 * const api = createMiniProgramClient({ baseUrl: 'https://api.example.com' });
 * const me = await api.request({ url: '/api/me' });
 * ```
 */
export { createMiniProgramClient } from './client.js';
export { MiniProgramClientError } from './errors.js';
export type { ClientErrorCode, MiniProgramErrorCode, ServerErrorCode } from './errors.js';
export type {
  LoginOptions,
  LogoutOptions,
  MiniProgramClient,
  MiniProgramClientOptions,
  MiniProgramRequestOptions,
  PhoneNumber,
  PhoneNumberDetail,
  PhoneOptions,
  StoredSession,
  WxCheckSessionOption,
  WxLike,
  WxLoginOption,
  WxRequestOption,
  WxRequestResult,
} from './types.js';
