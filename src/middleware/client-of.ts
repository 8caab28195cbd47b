import type { WechatClient } from '../client/client.js';
import type { WechatSessionOptions } from '../options.js';
import { contextOf, type WechatSessionContext } from '../wechat-session.js';

/**
 * The WeChat client the middleware use (same access-token cache), for the
 * app's own WeChat API calls.
 *
 * @example
 * ```ts
 * const accessToken = await getWechatClient(wechat).getAccessToken();
 * ```
 */
export function getWechatClient(wechat: WechatSessionContext | WechatSessionOptions): WechatClient {
  return contextOf(wechat).client;
}
