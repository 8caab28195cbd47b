import { contextOf, type WechatSessionContext } from '../context/wechat-session.js';
import { errorFields } from '../log.js';
import type { WechatSessionOptions } from '../options/types.js';

/**
 * Which realm's sessions to revoke, where the server serves more than one mini-program (or a WeCom corp).
 *
 * @example
 * ```ts
 * await revokeWechatSessions(wechat, 'zhangsan', { wecom: true });
 * ```
 */
export interface RevokeTarget {
  /** The mini-program whose openid this is (needed when several are served). */
  appId?: string;
  /** Revoke a WeCom member's sessions instead: pass their userid as `id`. */
  wecom?: boolean;
}

/**
 * End every session of an openid (or, with `{ wecom: true }`, of a WeCom
 * userid): "log out everywhere". Resolves how many sessions were ended.
 *
 * @example
 * ```ts
 * await revokeWechatSessions(wechat, openid);
 * await revokeWechatSessions(wechat, openid, { appId: 'wx1111111111111111' }); // one of several apps
 * ```
 */
export async function revokeWechatSessions(wechat: WechatSessionContext | WechatSessionOptions, id: string, target: RevokeTarget = {}): Promise<number> {
  const ctx = contextOf(wechat);
  if (typeof id !== 'string' || id.length === 0)
    throw new TypeError('express-wechat-session: revokeWechatSessions needs the openid (or WeCom userid) as a non-empty string');
  if (target.wecom) {
    if (!ctx.wecom) throw new TypeError('express-wechat-session: `wecom` is not configured');
    return ctx.wecom.sessions.revokeAll(id);
  }
  const { appId, sessions } = ctx.app(target.appId);
  const sessionKey = ctx.config.resetSessionKeyOnLogout ? await sessions.latestSessionKey(id).catch(() => undefined) : undefined;
  const ended = await sessions.revokeAll(id);
  if (sessionKey !== undefined) await resetKey(ctx, appId, id, sessionKey);
  return ended;
}

/** Have WeChat reset the user's session_key; a failure is logged (and reported as `upstreamError`), never thrown. */
export async function resetKey(ctx: WechatSessionContext, appId: string, openid: string, sessionKey: string): Promise<void> {
  try {
    await ctx.app(appId).client.resetSessionKey(openid, sessionKey);
  } catch (err) {
    ctx.log.warn({ event: 'session_key.reset_failed', openid, ...errorFields(err) }, 'could not reset the session_key with WeChat');
  }
}
