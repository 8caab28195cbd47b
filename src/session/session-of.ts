import type { Request } from 'express';
import { WechatError } from '../errors.js';
import { extractToken } from '../http/token-transport.js';
import type { WechatSessionContext } from '../context/wechat-session.js';
import { WechatSession } from './handle.js';
import type { SessionManager } from './manager.js';

/**
 * The session of the request, set as `req.wechat`: the one already there
 * (an earlier middleware resolved it), else the one its token names in the
 * realm the request is for. With `renew` false a due renewal waits for
 * {@link renewAfterUse}, so a request that then fails renews nothing.
 * Throws the 401s (and 400 `WECHAT_APP_UNKNOWN`).
 */
export async function sessionOf(ctx: WechatSessionContext, req: Request, renew: boolean): Promise<WechatSession> {
  if (Object.hasOwn(req, 'wechat') && req.wechat instanceof WechatSession) return req.wechat;
  const realms = ctx.realmsFor(req);
  const token = extractToken(req, ctx.config.transport);
  if (token === undefined) throw new WechatError('WECHAT_SESSION_REQUIRED', 'Log in first: send the session token');
  let session: WechatSession | undefined;
  for (let i = 0; session === undefined; i++) {
    try {
      session = await realms[i]!.resolve(token, renew);
    } catch (err) {
      if (i === realms.length - 1 || !(err instanceof WechatError) || err.code !== 'WECHAT_SESSION_INVALID') throw err;
    }
  }
  req.wechat = session;
  return session;
}

function managerOf(ctx: WechatSessionContext, session: WechatSession): SessionManager {
  return session.corpId !== undefined ? ctx.wecom!.sessions : ctx.app(session.appId).sessions;
}

/** Renew `req.wechat` when due, after the request that used it succeeded; never rejects. */
export async function renewAfterUse(ctx: WechatSessionContext, req: Request): Promise<void> {
  const session = req.wechat;
  if (!(session instanceof WechatSession)) return;
  const sessions = managerOf(ctx, session);
  if (sessions.renewalDue(session)) req.wechat = await sessions.renewIfDue(session);
}
