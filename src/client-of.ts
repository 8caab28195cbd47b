import type { WechatClient } from './client/client.js';
import { getContext } from './context.js';
import type { WechatSessionOptions } from './options.js';

/**
 * The WeChat client the middleware use for these options (same access-token
 * cache), for the app's own WeChat API calls.
 *
 * @example
 * ```ts
 * const accessToken = await getWechatClient(wechat).getAccessToken();
 * ```
 */
export function getWechatClient(options: WechatSessionOptions): WechatClient {
  return getContext(options).client;
}
