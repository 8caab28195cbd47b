/** What both logins (a mini-program's `wx.login`, a WeCom member's `wx.qy.login`) do with their code. */
import type { Request, Response } from 'express';
import type { WechatSessionContext } from '../context/wechat-session.js';
import { type Fields, readFields, stringField } from '../http/body.js';
import { AppFailure } from '../http/middleware.js';
import type { LoginInfo } from '../options/login-types.js';
import type { WechatSession } from '../session/handle.js';
import type { CreatedSession, SharedLogin } from '../session/login-coalescer.js';
import type { SessionManager } from '../session/manager.js';

/**
 * The shape a login code can have: 10 to 128 letters, digits, `_` or `-`
 * (WeChat's are 32 letters and digits). Anything else is refused with 400
 * before it reaches WeChat, so garbage spends neither a WeChat call nor the
 * AppID's quota.
 */
const CODE_SHAPE = /^[A-Za-z0-9_-]{10,128}$/;

/** The request's fields and its login `code` (`what` says where the code comes from). */
export async function readLoginCode(ctx: WechatSessionContext, req: Request, what: string): Promise<{ code: string; fields: Fields }> {
  const fields = await readFields(req, ctx.config.body.limit, ctx.config.body.timeout);
  return { code: stringField(fields, 'code', CODE_SHAPE, what), fields };
}

/**
 * The code's session, created by the first request that gets this far (the
 * others share it), then handed to the app's `onLogin`. A hook that fails
 * ends the session it was given.
 */
function sessionFor(
  ctx: WechatSessionContext,
  sessions: SessionManager,
  shared: SharedLogin & { info?: LoginInfo },
  req: Request,
  arrivedAt: number,
): Promise<CreatedSession> {
  shared.session ??= (async (): Promise<CreatedSession> => {
    const session = await sessions.create(shared.identity);
    const { openid, unionid } = shared.identity;
    ctx.emit('login', { openid, ...(unionid !== undefined && { unionid }), ms: Math.round(performance.now() - arrivedAt) });
    const hook = ctx.config.onLogin;
    if (!hook) return { session };
    try {
      const answer = await hook(session, req, { ...shared.info });
      return { session, answer: answer ?? undefined };
    } catch (err) {
      await session.destroy().catch(() => undefined);
      throw new AppFailure(err);
    }
  })();
  return shared.session;
}

/**
 * Start (or join) the session of an exchanged code and set it as
 * `req.wechat`, a handle of this request's own; `res.locals.wechatLogin`
 * holds what `onLogin` added. `arrivedAt` is when the request came in.
 */
export async function startSession(
  ctx: WechatSessionContext,
  sessions: SessionManager,
  shared: SharedLogin & { info?: LoginInfo },
  req: Request,
  res: Response,
  arrivedAt: number,
): Promise<WechatSession> {
  const created = await sessionFor(ctx, sessions, shared, req, arrivedAt);
  const session = sessions.copy(created.session);
  req.wechat = session;
  if (created.answer) res.locals.wechatLogin = created.answer;
  return session;
}
