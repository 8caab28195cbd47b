/**
 * Options of `startWechatStandIn`: the apps, third-party platform and WeCom corp it serves.
 */
import type { StandInApiSecurityInput } from './api-security.js';
import type { StandInPushInput } from './types-push.js';

export type { StandInApiSecurityInput };

/**
 * An app's virtual-payment (虚拟支付) AppKeys: the `xpay` APIs check `pay_sig`
 * with `appKey` for env 0 and `sandboxAppKey` for env 1.
 *
 * @example
 * ```ts
 * const wechat = await startWechatStandIn({ virtualPayment: { appKey: 'live-app-key', sandboxAppKey: 'sandbox-app-key' } });
 * ```
 */
export interface StandInVirtualPaymentInput {
  appKey: string;
  sandboxAppKey?: string;
}

/**
 * A further mini-program the stand-in serves with its own AppSecret.
 *
 * @example
 * ```ts
 * const wechat = await startWechatStandIn({ apps: [{ appId: 'wx1111111111111111', appSecret: 'a'.repeat(32) }] });
 * ```
 */
export interface StandInAppInput {
  appId: string;
  appSecret: string;
  /** The app's API security: its signable calls must then be signed and encrypted, and are answered sealed. */
  apiSecurity?: StandInApiSecurityInput;
  /** How `sendPush` signs (and encrypts) pushes to this app. */
  push?: StandInPushInput;
  /** The AppKeys its `xpay` APIs check `pay_sig` with. */
  virtualPayment?: StandInVirtualPaymentInput;
}

/**
 * A third-party platform ("component"). Its authorized apps log in through
 * `sns/component/jscode2session` and call WeChat with their
 * authorizer_access_token; they have no AppSecret here.
 *
 * @example
 * ```ts
 * const wechat = await startWechatStandIn({ component: { appId: 'wxc0000000000000cp', authorized: ['wx2222222222222222'] } });
 * const token = wechat.componentAccessToken;
 * ```
 */
export interface StandInComponentInput {
  /** The platform's component AppID. */
  appId: string;
  /** The first valid component_access_token. Default a random one. */
  accessToken?: string;
  /** Mini-programs that authorized the platform. */
  authorized?: readonly string[];
  /** Mini-programs known to WeChat that have not authorized it (61003). */
  unauthorized?: readonly string[];
}

/**
 * A WeCom (企业微信) corp, served on the same base URL (`cgi-bin/gettoken`, `cgi-bin/miniprogram/jscode2session`).
 *
 * @example
 * ```ts
 * const wechat = await startWechatStandIn({ wecom: { corpId: 'ww0000000000000001', corpSecret: 'c'.repeat(32) } });
 * const code = wechat.issueWecomCode({ userId: 'zhangsan' }); // what wx.qy.login returns
 * ```
 */
export interface StandInWecomInput {
  corpId: string;
  /** The secret of the WeCom app the mini-program is linked to. Default a fixed 43-character string. */
  corpSecret?: string;
}

/**
 * Options of `startWechatStandIn`. Every field has a default.
 *
 * @example
 * ```ts
 * let now = Date.now();
 * const wechat = await startWechatStandIn({ now: () => now, codeTtlSeconds: 300 });
 * now += 301_000; // every login code issued so far has expired
 * ```
 */
export interface WechatStandInOptions {
  /** The main app's AppID. Default `'wx0000000000standin'`. */
  appId?: string;
  /** The main app's AppSecret. Default a fixed 32-hex string. */
  appSecret?: string;
  /**
   * Interface to listen on. Default `'127.0.0.1'`. Keep it on loopback: the
   * stand-in and its control API mint logins for any openid.
   */
  host?: string;
  /** Port to listen on; `0` picks a free one. Default `0`. */
  port?: number;
  /** Clock in milliseconds, injectable to expire codes and tokens without sleeping. Default `Date.now`. */
  now?: () => number;
  /** Lifetime of login codes and phone codes, in seconds. Default `300`. */
  codeTtlSeconds?: number;
  /** Lifetime of access tokens (every kind), in seconds. Default `7200`. */
  accessTokenTtlSeconds?: number;
  /** The main app's API security (see {@link StandInAppInput.apiSecurity}); `generateApiSecurityKeys().standIn`. */
  apiSecurity?: StandInApiSecurityInput;
  /** The main app's message-push settings (see {@link StandInAppInput.push}). */
  push?: StandInPushInput;
  /** The main app's virtual-payment AppKeys (see {@link StandInAppInput.virtualPayment}). */
  virtualPayment?: StandInVirtualPaymentInput;
  /** More mini-programs with secrets, besides the main app. */
  apps?: readonly StandInAppInput[];
  /** A third-party platform and the mini-programs it knows. */
  component?: StandInComponentInput;
  /** A WeCom corp whose members log in with `wx.qy.login` codes. */
  wecom?: StandInWecomInput;
}
