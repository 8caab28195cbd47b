import type { RequestHandler } from 'express';
import { contextOf, type WechatSessionContext } from '../context/wechat-session.js';
import { middleware } from '../http/middleware.js';
import type { WechatSessionOptions } from '../options/types.js';
import { resetKey } from '../session/revoke.js';
import { sessionOf } from '../session/session-of.js';

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
      ctx.emit('logout', { openid: session.openid ?? session.userId! });
      if (ctx.config.resetSessionKeyOnLogout && session.corpId === undefined) await resetKey(ctx, session.appId, session.openid, session.sessionKey);
    },
    { noStore: true },
  );
}
