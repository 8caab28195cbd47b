import type { Request, RequestHandler, Response } from 'express';
import { readFields, stringField } from '../http/body.js';
import { middleware } from '../http/respond.js';
import type { WechatSessionOptions } from '../options.js';
import type { SharedLogin } from '../session/login-coalescer.js';
import { contextOf, type WechatSessionContext } from '../wechat-session.js';
import { CODE_SHAPE, sessionFor } from './login.js';

async function login(ctx: WechatSessionContext, req: Request, res: Response): Promise<void> {
  const arrivedAt = performance.now();
  const wecom = ctx.wecom!;
  const fields = await readFields(req, ctx.config.body.limit, ctx.config.body.timeout);
  const code = stringField(fields, 'code', CODE_SHAPE, 'the code from wx.qy.login');
  const shared = await ctx.logins.run(`${wecom.corpId}:${code}`, () =>
    wecom.client.code2Session(code).then(({ userId, sessionKey }): SharedLogin => ({ identity: { openid: userId, sessionKey } })),
  );
  const created = await sessionFor(ctx, wecom.sessions, shared, req, arrivedAt);
  req.wechat = wecom.sessions.copy(created.session);
  if (created.answer) res.locals.wechatLogin = created.answer;
}

/**
 * Log a WeCom (企业微信) member in with the `code` of `wx.qy.login`: the
 * corp's token (cached and shared across the fleet), then WeCom's
 * jscode2session. Sets `req.wechat` with `corpId` and `userId` (no
 * `openid`) and calls `next()`. A `wx.login` code is 401 `WECHAT_CODE_INVALID`.
 * Needs the `wecom` option.
 *
 * @example
 * ```ts
 * app.post('/wecom/login', wecomLogin(wechat), wechatHandler((req, res) => res.json({ token: req.wechat.token, userId: req.wechat.userId })));
 * ```
 */
export function wecomLogin(wechat: WechatSessionContext | WechatSessionOptions): RequestHandler {
  const ctx = contextOf(wechat);
  if (!ctx.wecom) throw new TypeError('express-wechat-session: wecomLogin needs the `wecom` option ({ corpId, corpSecret })');
  return middleware('wecomLogin', ctx, (req, res) => login(ctx, req, res), { noStore: true });
}
