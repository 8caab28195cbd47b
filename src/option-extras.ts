/** Checks of the options of WeChat's newer server APIs: API security, risk rank. */
import { ApiSecurityKeys } from './crypto/api-security-keys.js';
import { fail, type Input } from './option-checks.js';

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

export type RiskRankConfig = Required<Pick<RiskRankOptions, 'scene' | 'failClosed'>> & { refuseAt: number | undefined };

/** The app's API security keys, when its `apiSecurity` is set; `name` is the option's path for errors. */
export function apiSecurityOf(value: unknown, name: string): ApiSecurityKeys | undefined {
  return value === undefined ? undefined : new ApiSecurityKeys(value, name);
}

export function parseRiskRank(o: Input): RiskRankConfig | undefined {
  const value = o.riskRank;
  if (value === undefined || value === false) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail('riskRank', 'an object { scene: 0 | 1, refuseAt?: 0..4, failClosed?: boolean }', value);
  const { scene, refuseAt, failClosed, ...rest } = value as Input;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) fail(`riskRank.${unknown}`, 'left out (riskRank takes scene, refuseAt, failClosed)', 'a value');
  if (scene !== 0 && scene !== 1) fail('riskRank.scene', '0 (registration) or 1 (marketing)', scene);
  if (refuseAt !== undefined && (typeof refuseAt !== 'number' || !Number.isInteger(refuseAt) || refuseAt < 0 || refuseAt > 4))
    fail('riskRank.refuseAt', 'a whole number from 0 to 4', refuseAt);
  if (failClosed !== undefined && typeof failClosed !== 'boolean') fail('riskRank.failClosed', 'true or false', failClosed);
  return { scene, refuseAt: refuseAt as number | undefined, failClosed: failClosed === true };
}
