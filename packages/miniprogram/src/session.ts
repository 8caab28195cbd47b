import type { ClientContext } from './context.js';
import { MiniProgramClientError, responseError } from './errors.js';
import { isOk, send } from './transport.js';
import type { StoredSession } from './types.js';
import { wxCheckSession, wxLogin } from './wx-calls.js';

/** Logging in, one login at a time whoever asks. */
export interface SessionKeeper {
  /** The stored session, reused while `wx.checkSession` passes, or a new login. */
  login(force: boolean): Promise<StoredSession>;
  /** A session other than the one whose token `rejected` the server refused. */
  renewAfter(rejected: string): Promise<StoredSession>;
  /** The login under way, if any. */
  inFlight(): Promise<StoredSession> | null;
}

/** The login machinery of one client. */
export function createSessionKeeper(ctx: ClientContext): SessionKeeper {
  let pending: Promise<StoredSession> | null = null;

  function login(force: boolean): Promise<StoredSession> {
    if (pending) return pending;
    const run = (pending = loginOnce(ctx, force));
    run.then(done, done);
    return run;
  }

  function done(): void {
    pending = null;
  }

  // Every request refused with the same token shares one renewal, and its failure too.
  let renewal: { rejected: string; session: Promise<StoredSession> } | null = null;

  function renewAfter(rejected: string): Promise<StoredSession> {
    if (renewal && renewal.rejected === rejected) return renewal.session;
    renewal = { rejected, session: renew(rejected) };
    return renewal.session;
  }

  async function renew(rejected: string): Promise<StoredSession> {
    if (pending) {
      const session = await pending;
      if (session.token !== rejected) return session;
    }
    const stored = ctx.storage.read();
    if (stored && stored.token !== rejected) return stored;
    ctx.storage.clear();
    return login(true);
  }

  return { login, renewAfter, inFlight: () => pending };
}

async function loginOnce(ctx: ClientContext, force: boolean): Promise<StoredSession> {
  const stored = force ? null : ctx.storage.read();
  if (stored && (await wxCheckSession(ctx.wx, ctx.wecom))) return stored;
  const code = await wxLogin(ctx.wx, ctx.timeout, ctx.wecom);
  const result = await send(ctx, { url: ctx.loginPath, method: 'POST', data: { code } }, undefined);
  if (!isOk(result)) throw responseError(result);
  const session = toSession(result.data, result.statusCode);
  ctx.storage.write(session);
  return session;
}

function toSession(data: unknown, status: number): StoredSession {
  const body = (typeof data === 'object' && data !== null ? data : {}) as { token?: unknown; openid?: unknown; userId?: unknown };
  if (typeof body.token !== 'string' || body.token === '') {
    throw new MiniProgramClientError('WECHAT_BAD_RESPONSE', 'The login answer carries no token', status);
  }
  return { token: body.token, openid: typeof body.openid === 'string' ? body.openid : typeof body.userId === 'string' ? body.userId : '' };
}
