/** What a server speaks for besides one mini-program: several apps, a third-party platform, a WeCom corp, API security keys. */

/**
 * One mini-program of several (`apps`): its AppID, and its AppSecret outside third-party-platform mode.
 *
 * @example
 * ```ts
 * const apps: WechatAppOptions[] = [{ appId: 'wx1111111111111111', appSecret: process.env.SHOP_SECRET! }];
 * ```
 */
export interface WechatAppOptions {
  appId: string;
  appSecret?: string;
  /** This app's API security keys (API 安全), as `apiSecurity` of `WechatClientOptions`. */
  apiSecurity?: ApiSecurityOptions;
}

/**
 * A third-party platform (第三方平台) logging in the mini-programs that
 * authorized it: its component AppID and a provider of its
 * component_access_token (from the platform's own plumbing). The token is
 * used for a minute after each call.
 *
 * @example
 * ```ts
 * const component: WechatComponentOptions = { appId: 'wx9999999999999999', accessToken: () => platform.componentAccessToken() };
 * ```
 */
export interface WechatComponentOptions {
  appId: string;
  accessToken: () => Promise<string>;
}

/**
 * A WeCom (企业微信) corp whose members log in with `wx.qy.login` codes.
 *
 * @example
 * ```ts
 * const wecom: WechatWecomOptions = { corpId: process.env.WECOM_CORP_ID!, corpSecret: process.env.WECOM_APP_SECRET! };
 * ```
 */
export interface WechatWecomOptions {
  corpId: string;
  /** The secret of the WeCom app the mini-program is linked to. */
  corpSecret: string;
  /** Default `https://qyapi.weixin.qq.com`. */
  apiBaseUrl?: string;
}

/**
 * The `apiSecurity` option of one mini-program (API 安全, set up in its admin console).
 *
 * @example
 * ```ts
 * const apiSecurity: ApiSecurityOptions = {
 *   aesKey: process.env.WECHAT_API_AES_KEY!, aesSn: process.env.WECHAT_API_AES_SN!,
 *   privateKey: process.env.WECHAT_API_PRIVATE_KEY!, rsaSn: process.env.WECHAT_API_RSA_SN!,
 *   platformPublicKey: process.env.WECHAT_API_PLATFORM_KEY!, platformSn: process.env.WECHAT_API_PLATFORM_SN!,
 * };
 * ```
 */
export interface ApiSecurityOptions {
  /** The AES256_GCM key: base64 of 32 bytes. */
  aesKey: string;
  /** The AES key's SN. */
  aesSn: string;
  /** The RSA private key (RSAwithSHA256), PKCS#1 or PKCS#8 PEM, as the console gives it. */
  privateKey: string;
  /** The RSA key's SN. */
  rsaSn: string;
  /** WeChat's platform certificate (X.509 PEM) or public key (PEM), to verify answers. */
  platformPublicKey: string;
  /** The platform certificate's SN. */
  platformSn: string;
}
