import type { Request } from 'express';
import type { Context } from '../context.js';
import { WechatError } from '../errors.js';
import { extractToken } from '../http/token-transport.js';
import type { WechatSession } from '../session/handle.js';

/**
 * The session of the request: `req.wechat` when set already, else resolved
 * from its token. With `renew` false a due renewal waits for
 * {@link renewAfterUse}, so a request that then fails renews nothing.
 */
export async function sessionOf(ctx: Context, req: Request, renew = true): Promise<WechatSession> {
  if (req.wechat) return req.wechat;
  const token = extractToken(req, ctx);
  if (token === undefined) throw new WechatError('WECHAT_SESSION_REQUIRED', 'Log in first: send the session token');
  const session = await ctx.sessions.resolve(token, renew);
  req.wechat = session;
  return session;
}

/** Renew `req.wechat` when due, after the request that used it succeeded. Never rejects. */
export async function renewAfterUse(ctx: Context, req: Request): Promise<void> {
  if (req.wechat) req.wechat = await ctx.sessions.renewIfDue(req.wechat);
}
