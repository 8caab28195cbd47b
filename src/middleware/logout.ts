import type { RequestHandler } from 'express';
import { middleware } from '../http/respond.js';
import type { WechatSessionOptions } from '../options.js';
import { contextOf, type WechatSessionContext } from '../wechat-session.js';
import { sessionOf } from './session-of.js';

/**
 * End the request's session, then call `next()` (`req.wechat` still
 * describes the session that was ended).
 *
 * @example
 * ```ts
 * app.post('/api/logout', wechatLogout(wechat), (req, res) => res.status(204).end());
 * ```
 */
export function wechatLogout(wechat: WechatSessionContext | WechatSessionOptions): RequestHandler {
  const ctx = contextOf(wechat);
  return middleware(
    'wechatLogout',
    ctx,
    async (req) => {
      const session = await sessionOf(ctx, req, false);
      await session.destroy();
      ctx.emit('logout', { openid: session.openid });
    },
    { noStore: true },
  );
}

/**
 * End every session of an openid ("log out everywhere"). Resolves how many
 * sessions were ended.
 *
 * @example
 * ```ts
 * await revokeWechatSessions(wechat, openid);
 * ```
 */
export function revokeWechatSessions(wechat: WechatSessionContext | WechatSessionOptions, openid: string): Promise<number> {
  return contextOf(wechat).sessions.revokeAll(openid);
}
