import type { Request } from 'express';
import type { Context } from '../context.js';
import { WechatError } from '../errors.js';
import { extractToken } from '../http/token-transport.js';
import type { WechatSession } from '../session/handle.js';

/** The session of the request: `req.wechat` when set already, else resolved from its token. */
export async function sessionOf(ctx: Context, req: Request): Promise<WechatSession> {
  if (req.wechat) return req.wechat;
  const token = extractToken(req, ctx);
  if (token === undefined) throw new WechatError('WECHAT_SESSION_REQUIRED', 'Log in first: send the session token');
  const session = await ctx.sessions.resolve(token);
  req.wechat = session;
  return session;
}
