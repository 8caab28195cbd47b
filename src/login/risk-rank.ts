import type { Request } from 'express';
import type { RiskRank } from '../client/business.js';
import { WechatError } from '../errors.js';
import { errorFields } from '../log.js';
import type { AppParts, WechatSessionContext } from '../context/wechat-session.js';

/** The client's address as Express sees it (`trust proxy` respected), IPv4-mapped IPv6 written as IPv4. */
export function clientIp(req: Request): string {
  const ip = req.ip ?? req.socket?.remoteAddress ?? '';
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/**
 * With `riskRank` set, ask WeChat the user's rank before a session exists:
 * a rank at or above `refuseAt` is 403 `WECHAT_USER_BLOCKED`. A failed call
 * lets the login through (logged; rank unknown) unless `failClosed`.
 */
export async function riskOf(ctx: WechatSessionContext, app: AppParts, openid: string, req: Request): Promise<RiskRank | undefined> {
  const policy = ctx.config.riskRank;
  if (!policy) return undefined;
  let risk: RiskRank;
  try {
    risk = await app.client.getUserRiskRank({ openid, scene: policy.scene, clientIp: clientIp(req) });
  } catch (err) {
    if (policy.failClosed) throw err;
    ctx.log.warn({ event: 'login.risk_rank_failed', openid, ...errorFields(err) }, 'getuserriskrank failed: login let through');
    return undefined;
  }
  if (policy.refuseAt !== undefined && risk.riskRank >= policy.refuseAt) {
    ctx.log.warn({ event: 'login.risk_refused', openid, riskRank: risk.riskRank }, 'login refused: risk rank at or above refuseAt');
    throw new WechatError('WECHAT_USER_BLOCKED', "WeChat rates this user's risk too high for this login");
  }
  return risk;
}
