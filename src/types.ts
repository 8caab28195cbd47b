/**
 * The app's own fields kept on a session (its user id, say). Extend it by
 * declaration merging, as with express-session's `SessionData`.
 *
 * @example
 * ```ts
 * declare module 'express-wechat-session' {
 *   interface WechatSessionData { userId: number }
 * }
 * await req.wechat!.save({ userId: 42 });
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: empty on purpose, apps extend it by declaration merging
export interface WechatSessionData {}

/**
 * A phone number as WeChat gives it; `countryCode` is always a string.
 *
 * @example
 * ```ts
 * const { purePhoneNumber }: WechatPhone = req.wechat.phone!;
 * ```
 */
export interface WechatPhone {
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
}

/**
 * The decrypted legacy getUserInfo payload (its watermark already checked).
 *
 * @example
 * ```ts
 * const nickName = req.wechat.userInfo?.nickName;
 * ```
 */
export interface WechatUserInfo {
  openId?: string;
  unionId?: string;
  nickName?: string;
  avatarUrl?: string;
  gender?: number;
  city?: string;
  province?: string;
  country?: string;
  language?: string;
  [field: string]: unknown;
}

/**
 * `req.wechat`: the request's session, as set by `wechatLogin`,
 * `requireWechatSession` and `decryptPhone`. A plain interface (the class
 * behind it is `WechatSession`), so that a project loading both the CommonJS
 * and the ES module declarations sees one type.
 *
 * @example
 * ```ts
 * app.post('/api/profile', requireWechatSession(wechat), wechatHandler(async (req, res) => {
 *   await req.wechat.save({ nickname: String(req.body.nickname) });
 *   res.json(req.wechat.data);
 * }));
 * ```
 */
export interface WechatRequestSession {
  /** The user's openid in the session's mini-program (absent on a WeCom member's session, which has `userId`). */
  readonly openid: string;
  /** The mini-program the session belongs to (absent on a WeCom member's session, which has `corpId`). */
  readonly appId: string;
  /** A WeCom member's session: the corp. */
  readonly corpId?: string;
  /** A WeCom member's session: the member's userid. */
  readonly userId?: string;
  readonly unionid: string | undefined;
  /** The 3rd_session token the client sends back. */
  readonly token: string;
  /** WeChat's session_key: server-side only. */
  readonly sessionKey: string;
  /** When the session lapses without further use (ms since the epoch). */
  readonly expiresAt: number;
  /** The app's own fields; change them with `save()`. */
  data: Partial<WechatSessionData>;
  /** Set by `decryptPhone`. */
  phone?: WechatPhone;
  /** Set by `wechatLogin` when the legacy getUserInfo payload came with the code. */
  userInfo?: WechatUserInfo;
  /** Merge `patch` into `data` and write it to the store. */
  save(patch?: Partial<WechatSessionData>): Promise<void>;
  /** End this session (log out). */
  destroy(): Promise<void>;
}

declare global {
  namespace Express {
    interface Request {
      /** Set by `wechatLogin`, `requireWechatSession` and `decryptPhone`. */
      wechat?: WechatRequestSession;
    }
  }
}
