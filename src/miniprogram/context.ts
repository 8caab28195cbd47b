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
}
