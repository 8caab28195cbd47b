import type { WechatClient } from '../client/client.js';
import type { WecomClient } from '../client/wecom.js';
import type { WechatSessionOptions } from '../options/types.js';
import { contextOf, type WechatSessionContext } from './wechat-session.js';

/**
 * The WeChat client the middleware use for an app (same access-token
 * cache), for the app's own WeChat API calls; `appId` picks one of several.
 *
 * @example
 * ```ts
 * const accessToken = await getWechatClient(wechat).getAccessToken();
 * ```
 */
export function getWechatClient(wechat: WechatSessionContext | WechatSessionOptions, appId?: string): WechatClient {
  return contextOf(wechat).app(appId).client;
}

/**
 * The WeCom client of the configured corp (its cached corp token), for the
 * app's own WeCom API calls.
 *
 * @example
 * ```ts
 * const corpToken = await getWecomClient(wechat).getAccessToken();
 * ```
 */
export function getWecomClient(wechat: WechatSessionContext | WechatSessionOptions): WecomClient {
  const { wecom } = contextOf(wechat);
  if (!wecom) throw new TypeError('express-wechat-session: `wecom` is not configured');
  return wecom.client;
}
