import { createHash } from 'node:crypto';
import { repairBase64 } from '../crypto/base64.js';
import { WechatError } from '../errors.js';
import type { AppCalls } from './app-calls.js';
import type { WechatCall, WechatJson } from './http.js';
import { callSigned } from './signed-call.js';
import { withToken } from './token-source.js';

/**
 * One business call with the app's access_token in its query (fetched,
 * and refreshed and retried once when WeChat says it expired), signed
 * when the app has API security.
 */
export function callBusiness(calls: AppCalls, call: Omit<WechatCall, 'envelope'>): Promise<WechatJson> {
  return withToken(calls.tokens, (token) => callSigned(calls, { ...call, query: { access_token: token, ...call.query } }));
}

/**
 * The hash `checkencryptedmsg` takes: SHA-256 hex of encryptedData's
 * base64 TEXT (not of the decoded bytes), as WeChat gave it to the page
 * (undoing only the transport accidents of `repairBase64`). Checked against
 * the docs' sample: `hsSuSUse…xmAPA==` → `657edd868c…9a200b2c`.
 */
export function encryptedMsgHash(encryptedData: string): string {
  return createHash('sha256').update(repairBase64(encryptedData), 'utf8').digest('hex');
}

/**
 * Whether WeChat produced this phone-number encryptedData in the last 3
 * days (`POST /wxa/business/checkencryptedmsg`). `vaild: false` (sic) or
 * errcode 1 (not found) is `{ valid: false }`; other failures reject.
 */
export async function checkEncryptedData(calls: AppCalls, encryptedData: string): Promise<{ valid: boolean; createTime?: number }> {
  if (typeof encryptedData !== 'string' || !encryptedData)
    throw new WechatError('WECHAT_BAD_REQUEST', '`encryptedData` must be a non-empty string', { field: 'encryptedData' });
  try {
    const body = await callBusiness(calls, {
      api: 'checkencryptedmsg',
      method: 'POST',
      path: '/wxa/business/checkencryptedmsg',
      body: { encrypted_msg_hash: encryptedMsgHash(encryptedData) },
    });
    const valid = body.vaild === true || body.valid === true;
    return valid && typeof body.create_time === 'number' ? { valid, createTime: body.create_time } : { valid };
  } catch (err) {
    if (err instanceof WechatError && err.errcode === 1) return { valid: false };
    throw err;
  }
}

/**
 * What `getuserriskrank` is asked about.
 *
 * @example
 * ```ts
 * const query: RiskRankQuery = { openid, scene: 0, clientIp: req.ip! };
 * const { riskRank } = await getWechatClient(wechat).getUserRiskRank(query);
 * ```
 */
export interface RiskRankQuery {
  openid: string;
  /** 0 registration, 1 marketing. */
  scene: 0 | 1;
  clientIp: string;
}

/**
 * WeChat's risk verdict on a user: `riskRank` 0 to 4, higher is riskier.
 *
 * @example
 * ```ts
 * const verdict: RiskRank = await getWechatClient(wechat).getUserRiskRank({ openid, scene: 0, clientIp: '203.0.113.7' });
 * if (verdict.riskRank >= 3) refuse();
 * ```
 */
export interface RiskRank {
  riskRank: number;
  /** WeChat's `unoin_id` (sic), the id of this risk query; absent when WeChat sent none. */
  unionId?: number;
}

/** Ask WeChat the user's risk rank (`POST /wxa/getuserriskrank`). */
export async function getUserRiskRank(calls: AppCalls, query: RiskRankQuery): Promise<RiskRank> {
  const body = await callBusiness(calls, {
    api: 'getuserriskrank',
    method: 'POST',
    path: '/wxa/getuserriskrank',
    body: { appid: calls.appId, openid: query.openid, scene: query.scene, client_ip: query.clientIp },
  });
  const rank = body.risk_rank;
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 0 || rank > 4) {
    throw new WechatError('WECHAT_UPSTREAM_ERROR', 'WeChat getuserriskrank answered ok without a risk_rank from 0 to 4');
  }
  const unionId = body.unoin_id ?? body.union_id; // WeChat spells it `unoin_id`
  return typeof unionId === 'number' ? { riskRank: rank, unionId } : { riskRank: rank };
}
