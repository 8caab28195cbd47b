import type { Request, RequestHandler } from 'express';
import { contextOf, type WechatSessionContext } from '../context/wechat-session.js';
import { middleware } from '../http/middleware.js';
import type { WechatSessionOptions } from '../options/types.js';
import { sessionOf } from '../session/session-of.js';

/** The work of {@link requireWechatSession}: the request's session as `req.wechat`, renewed when due. */
export function resolveSession(ctx: WechatSessionContext): (req: Request) => Promise<void> {
  return async (req) => void (await sessionOf(ctx, req, true));
}

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
  return middleware('requireWechatSession', ctx, resolveSession(ctx), { noStore: false });
}
