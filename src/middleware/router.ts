import express, { type Router } from 'express';
import { contextOf, type WechatSessionContext } from '../context/wechat-session.js';
import { WechatError } from '../errors.js';
import { wechatHandler } from '../http/handler.js';
import { middleware } from '../http/middleware.js';
import { sendError } from '../http/respond.js';
import type { WechatSessionOptions } from '../options/types.js';
import { decryptPhone } from './decrypt-phone.js';
import { wechatLogin } from './login.js';
import { wechatLogout } from './logout.js';
import { resolveSession } from './require-session.js';
import { wecomLogin } from './wecom-login.js';

/** The routes and the one method each takes. */
const ROUTES = { '/login': 'POST', '/phone': 'POST', '/logout': 'POST', '/session': 'GET' } as const;

/**
 * Every route in one: POST `/login` → `{ token, openid, unionid?, expiresIn, …onLogin's fields }`,
 * POST `/wecom/login` (with the `wecom` option) → `{ token, corpId, userId, expiresIn }`,
 * POST `/phone` → `{ phoneNumber, purePhoneNumber, countryCode }`,
 * POST `/logout` → 204, GET `/session` → `{ openid, unionid?, expiresAt, data }`.
 * Mounted under a path, any other path below it answers JSON 404
 * `WECHAT_NOT_FOUND`, and another method 405 `WECHAT_METHOD_NOT_ALLOWED`
 * with `Allow`.
 *
 * @example
 * ```ts
 * app.use('/wechat', wechatRouter(wechat));
 * ```
 */
export function wechatRouter(wechat: WechatSessionContext | WechatSessionOptions): Router {
  const ctx = contextOf(wechat);
  const router = express.Router();
  router.post(
    '/login',
    wechatLogin(ctx),
    wechatHandler((req, res) => {
      const session = req.wechat;
      const body: Record<string, unknown> = { ...res.locals.wechatLogin, token: session.token, openid: session.openid, expiresIn: ctx.config.session.ttl };
      if (session.unionid) body.unionid = session.unionid;
      if (session.userInfo) body.userInfo = session.userInfo;
      res.json(body);
    }),
  );
  if (ctx.wecom) {
    router.post(
      '/wecom/login',
      wecomLogin(ctx),
      wechatHandler((req, res) => {
        const session = req.wechat;
        res.json({ ...res.locals.wechatLogin, token: session.token, corpId: session.corpId, userId: session.userId, expiresIn: ctx.config.session.ttl });
      }),
    );
  }
  router.post(
    '/phone',
    decryptPhone(ctx),
    wechatHandler((req, res) => res.json(req.wechat.phone)),
  );
  router.post('/logout', wechatLogout(ctx), (_req, res) => res.status(204).end());
  router.get(
    '/session',
    middleware('wechatSessionRoute', ctx, resolveSession(ctx), { noStore: true }),
    wechatHandler((req, res) => res.json(req.wechat)),
  );
  // Mounted under a path, the router owns it and answers the rest itself; mounted at the root, the rest is the app's.
  for (const [path, method] of Object.entries({ ...ROUTES, ...(ctx.wecom && { '/wecom/login': 'POST' }) })) {
    router.all(path, (req, res, next) => {
      if (!req.baseUrl) return next();
      sendError(res, new WechatError('WECHAT_METHOD_NOT_ALLOWED', `${path} takes ${method} only`, { allow: method }));
    });
  }
  router.use((req, res, next) => {
    if (!req.baseUrl) return next();
    sendError(res, new WechatError('WECHAT_NOT_FOUND', 'No such route'));
  });
  return router;
}
