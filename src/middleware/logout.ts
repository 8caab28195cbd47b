import type { RequestHandler } from 'express';
import { getContext } from '../context.js';
import { failRequest } from '../http/respond.js';
import type { WechatSessionOptions } from '../options.js';
import { sessionOf } from './resolve.js';

/**
 * End the request's session, then call `next()` (`req.wechat` still
 * describes the session that was ended).
 *
 * @example
 * ```ts
 * app.post('/api/logout', wechatLogout(wechat), (req, res) => res.status(204).end());
 * ```
 */
export function wechatLogout(options: WechatSessionOptions): RequestHandler {
  const ctx = getContext(options);
  return function wechatLogout(req, res, next) {
    const started = performance.now();
    sessionOf(ctx, req, false)
      .then(async (session) => {
        await session.destroy();
        res.setHeader('Cache-Control', 'no-store');
        ctx.emit('logout', { openid: session.openid });
      })
      .then(
        () => next(),
        (err: unknown) => failRequest(ctx, req, res, next, err, started),
      );
  };
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
export function revokeWechatSessions(options: WechatSessionOptions, openid: string): Promise<number> {
  return getContext(options).sessions.revokeAll(openid);
}
