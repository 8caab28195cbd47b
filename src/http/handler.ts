import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isThenable } from '../async.js';
import { WechatError } from '../errors.js';
import type { WechatRequestSession } from '../types.js';
import { AppFailure, failRequest, requestContext } from './middleware.js';

/**
 * A request behind `requireWechatSession`, `wechatLogin` or `decryptPhone`: its session is there.
 *
 * @example
 * ```ts
 * const me = (req: WechatRequest, res: Response) => res.json({ openid: req.wechat.openid });
 * app.get('/api/me', requireWechatSession(wechat), wechatHandler(me));
 * ```
 */
export type WechatRequest = Request & { wechat: WechatRequestSession };

/**
 * Wrap a route handler that runs behind the session middleware: it gets
 * `req.wechat` typed as present (no `!`), and whatever it throws or rejects
 * with takes the middleware's own error path, on Express 4 as on 5: a
 * `WechatError` (a failed `save()`, say) is logged and answered as JSON, or
 * handed to `next(err)` with `passErrors`; anything else reaches
 * `next(err)`. A request with no session answers 401 `WECHAT_SESSION_REQUIRED`.
 *
 * @example
 * ```ts
 * app.post('/api/profile', requireWechatSession(wechat), wechatHandler(async (req, res) => {
 *   await req.wechat.save({ nickname: String(req.body.nickname) });
 *   res.json(req.wechat);
 * }));
 * ```
 */
export function wechatHandler(handler: (req: WechatRequest, res: Response, next: NextFunction) => unknown): RequestHandler {
  return function wechatHandler(req, res, next) {
    const started = performance.now();
    const failed = (err: unknown): void => failRequest(requestContext(req), res, next, err, started);
    if (!req.wechat) return failed(new WechatError('WECHAT_SESSION_REQUIRED', 'Log in first: this route needs a session'));
    try {
      const result = handler(req as WechatRequest, res, next);
      if (isThenable(result)) result.then(undefined, (err: unknown) => failed(new AppFailure(err)));
    } catch (err) {
      failed(new AppFailure(err));
    }
  };
}
