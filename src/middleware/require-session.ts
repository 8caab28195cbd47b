import type { RequestHandler } from 'express';
import { getContext } from '../context.js';
import { failRequest } from '../http/respond.js';
import type { WechatSessionOptions } from '../options.js';
import { WechatSession } from '../session/handle.js';
import { lookupNow } from './resolve.js';

/**
 * Resolve the request's token to `req.wechat` or answer 401
 * (`WECHAT_SESSION_REQUIRED` / `WECHAT_SESSION_INVALID`); 503 when the store
 * is down. Never lets a request through without a session.
 *
 * @example
 * ```ts
 * app.use('/api', requireWechatSession(wechat));
 * app.get('/api/me', (req, res) => res.json({ openid: req.wechat!.openid }));
 * ```
 */
export function requireWechatSession(options: WechatSessionOptions): RequestHandler {
  const ctx = getContext(options);
  return function requireWechatSession(req, res, next) {
    let found: WechatSession | Promise<WechatSession>;
    try {
      found = lookupNow(ctx, req);
    } catch (err) {
      // Refused before any store call: it took no measurable time.
      return failRequest(ctx, req, res, next, err, performance.now());
    }
    // Resolved in process (memory store, nothing due): on at once, no promise, no event-loop turn.
    if (found instanceof WechatSession) return next();
    const started = performance.now();
    found.then(
      (session) => {
        req.wechat = session;
        next();
      },
      (err: unknown) => failRequest(ctx, req, res, next, err, started),
    );
  };
}
