import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { getContext } from '../context.js';
import type { WechatSessionOptions } from '../options.js';
import { decryptPhone } from './decrypt-phone.js';
import { wechatLogin } from './login.js';
import { wechatLogout } from './logout.js';
import { requireWechatSession } from './require-session.js';

/** Every answer of the router names a session or a person: no cache may keep it. */
function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}

/**
 * Every route in one: POST `/login` → `{ token, openid, unionid?, expiresIn }`,
 * POST `/phone` → `{ phoneNumber, purePhoneNumber, countryCode }`,
 * POST `/logout` → 204, GET `/session` → `{ openid, unionid?, expiresAt, data }`.
 *
 * @example
 * ```ts
 * app.use('/wechat', wechatRouter(wechat));
 * ```
 */
export function wechatRouter(options: WechatSessionOptions): Router {
  const ctx = getContext(options);
  const router = express.Router();
  router.use(noStore);
  router.post('/login', wechatLogin(options), (req, res) => {
    const session = req.wechat!;
    const body: Record<string, unknown> = { token: session.token, openid: session.openid, expiresIn: ctx.opts.ttl };
    if (session.unionid) body.unionid = session.unionid;
    if (session.userInfo) body.userInfo = session.userInfo;
    res.json(body);
  });
  router.post('/phone', decryptPhone(options), (req, res) => {
    res.json(req.wechat!.phone);
  });
  router.post('/logout', wechatLogout(options), (_req, res) => {
    res.status(204).end();
  });
  router.get('/session', requireWechatSession(options), (req, res) => {
    res.json(req.wechat);
  });
  return router;
}
