import type { Request } from 'express';
import { WechatError } from '../errors.js';
import { extractToken } from '../http/token-transport.js';
import { WechatSession } from '../session/handle.js';
import type { WechatSessionContext } from '../wechat-session.js';

/**
 * The session of the request, set as `req.wechat`: the one already there
 * (an earlier middleware resolved it), else the one its token names. With
 * `renew` false a due renewal waits for {@link renewAfterUse}, so a request
 * that then fails renews nothing. Throws the 401s.
 */
export async function sessionOf(ctx: WechatSessionContext, req: Request, renew: boolean): Promise<WechatSession> {
  if (Object.hasOwn(req, 'wechat') && req.wechat instanceof WechatSession) return req.wechat;
  const token = extractToken(req, ctx.config.transport);
  if (token === undefined) throw new WechatError('WECHAT_SESSION_REQUIRED', 'Log in first: send the session token');
  const session = await ctx.sessions.resolve(token, renew);
  req.wechat = session;
  return session;
}

/** Renew `req.wechat` when due, after the request that used it succeeded; never rejects. */
export async function renewAfterUse(ctx: WechatSessionContext, req: Request): Promise<void> {
  const session = req.wechat;
  if (session instanceof WechatSession && ctx.sessions.renewalDue(session)) req.wechat = await ctx.sessions.renewIfDue(session);
}
