import type { SessionStorage } from './storage.js';
import type { WxLike } from './types.js';

/** Settings shared by the parts of a client, fixed when it is created. */
export interface ClientContext {
  wx: WxLike;
  /** Without a trailing slash. */
  baseUrl: string;
  loginPath: string;
  phonePath: string;
  logoutPath: string;
  /** Name of the token header. */
  header: string;
  timeout: number | undefined;
  storage: SessionStorage;
  /** The mini-program's AppID, sent as `X-WX-AppId` so a server of several apps knows which; undefined when WeChat does not tell. */
  appId: string | undefined;
  /** Log in through WeCom (`wx.qy.login`). */
  wecom: boolean;
}
