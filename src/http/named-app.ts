import type { IncomingMessage } from 'node:http';
import { WechatError } from '../errors.js';

/** WeChat's own Referer on a mini-program's `wx.request`: `https://servicewechat.com/{appid}/{version}/page-frame.html`. */
const REFERER = /^https:\/\/servicewechat\.com\/(wx[A-Za-z0-9]{16})\/[A-Za-z0-9._-]+\/page-frame\.html$/;

/**
 * The AppID a request names: its `X-WX-AppId` header, else WeChat's Referer
 * (no other Referer names an app); `undefined` when it names none. A name
 * proves nothing (any client can forge it): it only picks which of the
 * configured apps to talk to WeChat as, and codes and tokens stay bound to
 * the app that issued them.
 */
export function namedApp(req: IncomingMessage): string | undefined {
  const header = req.headers['x-wx-appid'];
  if (Array.isArray(header)) throw new WechatError('WECHAT_APP_UNKNOWN', 'The X-WX-AppId header is repeated');
  if (header !== undefined) return header.trim();
  const referer = req.headers.referer;
  return referer === undefined ? undefined : REFERER.exec(referer)?.[1];
}
