/** What the app's own login step is given and may answer (`onLogin`, `riskRank`). */
import type { Request } from 'express';
import type { WechatRequestSession } from '../types.js';

/**
 * Called once per new session, after WeChat accepted the code and before the
 * login is answered: the place to insert or update the app's user and put
 * its own id on the session (`await session.save({ userId })`). Fields it
 * resolves are added to the login answer of `wechatRouter` (and kept in
 * `res.locals.wechatLogin` for `wechatLogin`). A rejection answers the
 * request through the usual error path; the session is then ended. The
 * third argument holds the user's risk rank when `riskRank` is set.
 *
 * @example
 * ```ts
 * const onLogin: LoginHook = async (session) => {
 *   const user = await users.upsert(session.openid);
 *   await session.save({ userId: user.id });
 *   return { isNew: user.isNew };
 * };
 * ```
 */
export type LoginHook = (
  session: WechatRequestSession,
  req: Request,
  info: LoginInfo,
) => void | Record<string, unknown> | Promise<void | Record<string, unknown>>;

/**
 * What else the login learnt, for `onLogin`: the risk rank when `riskRank` is set and WeChat answered.
 *
 * @example
 * ```ts
 * const onLogin: LoginHook = async (session, req, { riskRank }) => {
 *   if (riskRank !== undefined && riskRank >= 2) await session.save({ reviewed: false });
 * };
 * ```
 */
export interface LoginInfo {
  /** `risk_rank` of `getuserriskrank`, 0 to 4. */
  riskRank?: number;
  /** Its `unoin_id` (sic), when WeChat sent one. */
  riskUnionId?: number;
}

/**
 * Risk rank at login (`getuserriskrank`): one WeChat call per login.
 * `scene` 0 is registration, 1 marketing; a rank at or above `refuseAt`
 * (0 to 4, higher is riskier) answers 403 `WECHAT_USER_BLOCKED` and creates
 * no session; without `refuseAt` the rank is only handed to `onLogin`. A
 * failed risk call lets the login through unless `failClosed`.
 *
 * @example
 * ```ts
 * wechatSession({ appId, appSecret, riskRank: { scene: 0, refuseAt: 3 } });
 * ```
 */
export interface RiskRankOptions {
  scene: 0 | 1;
  refuseAt?: 0 | 1 | 2 | 3 | 4;
  failClosed?: boolean;
}
