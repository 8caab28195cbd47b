import type { Request } from 'express';
import type { Context } from '../context.js';
import { WechatError } from '../errors.js';
import { extractToken } from '../http/token-transport.js';
import { WechatSession } from '../session/handle.js';

/**
 * The session of the request: `req.wechat` when set already, else resolved
 * from its token. With `renew` false a due renewal waits for
 * {@link renewAfterUse}, so a request that then fails renews nothing.
 */
export async function sessionOf(ctx: Context, req: Request, renew = true): Promise<WechatSession> {
  return sessionNow(ctx, req, renew);
}

/**
 * {@link sessionOf}, answered synchronously when it can be (a session
 * already on the request, or read from an in-process store with no renewal
 * due): the session, or a promise of it. Throws (or rejects) the 401s.
 */
export function sessionNow(ctx: Context, req: Request, renew = true): WechatSession | Promise<WechatSession> {
  const found = lookupNow(ctx, req, renew);
  if (found instanceof WechatSession) return (req.wechat = found);
  return found.then((session) => (req.wechat = session));
}

/**
 * {@link sessionNow} without setting `req.wechat` when the answer comes
 * later: the caller sets it (and goes on) in the same step, one promise
 * hop fewer on the store's asynchronous path.
 */
export function lookupNow(ctx: Context, req: Request, renew = true): WechatSession | Promise<WechatSession> {
  // \`req.wechat\` is only ever an own property. Asking for it as one first spares the usual request (none
  // yet) a lookup through the whole prototype chain Express gave it, which costs more than the rest of this line.
  if (Object.hasOwn(req, 'wechat') && req.wechat instanceof WechatSession) return req.wechat;
  const token = extractToken(req, ctx);
  if (token === undefined) throw new WechatError('WECHAT_SESSION_REQUIRED', 'Log in first: send the session token');
  const found = ctx.sessions.resolveNow(token, renew);
  if (found instanceof WechatSession) req.wechat = found;
  return found;
}

/**
 * Renew `req.wechat` when due, after the request that used it succeeded:
 * `undefined` when nothing is due (the usual case: no promise), else a
 * promise that never rejects.
 */
export function renewAfterUse(ctx: Context, req: Request): Promise<void> | undefined {
  const session = req.wechat;
  if (!(session instanceof WechatSession) || !ctx.sessions.renewalDue(session)) return undefined;
  return ctx.sessions.renewIfDue(session).then((renewed) => {
    req.wechat = renewed;
  });
}
