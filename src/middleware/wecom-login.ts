import type { Request, RequestHandler, Response } from 'express';
import { contextOf, type WechatSessionContext } from '../context/wechat-session.js';
import { middleware } from '../http/middleware.js';
import { readLoginCode, startSession } from '../login/start.js';
import type { WechatSessionOptions } from '../options/types.js';
import type { SharedLogin } from '../session/login-coalescer.js';

async function login(ctx: WechatSessionContext, req: Request, res: Response): Promise<void> {
  const arrivedAt = performance.now();
  const wecom = ctx.wecom!;
  const { code } = await readLoginCode(ctx, req, 'the code from wx.qy.login');
  const shared = await ctx.logins.run(`${wecom.corpId}:${code}`, () =>
    wecom.client.code2Session(code).then(({ userId, sessionKey }): SharedLogin => ({ identity: { openid: userId, sessionKey } })),
  );
  await startSession(ctx, wecom.sessions, shared, req, res, arrivedAt);
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
