import type { RequestHandler } from 'express';
import { middleware } from '../http/respond.js';
import type { WechatSessionOptions } from '../options.js';
import { contextOf, type WechatSessionContext } from '../wechat-session.js';
import { sessionOf } from './session-of.js';

/**
 * Resolve the request's token to `req.wechat` or answer 401
 * (`WECHAT_SESSION_REQUIRED` / `WECHAT_SESSION_INVALID`); 503 when the store
 * is down. Never lets a request through without a session.
 *
 * @example
 * ```ts
 * app.use('/api', requireWechatSession(wechat));
 * app.get('/api/me', wechatHandler((req, res) => res.json({ openid: req.wechat.openid })));
 * ```
 */
export function requireWechatSession(wechat: WechatSessionContext | WechatSessionOptions): RequestHandler {
  const ctx = contextOf(wechat);
  return middleware('requireWechatSession', ctx, async (req) => void (await sessionOf(ctx, req, true)), { noStore: false });
}
