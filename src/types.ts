import type { WechatSession } from './session/handle.js';

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
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface WechatSessionData {}

/** A phone number as WeChat gives it; `countryCode` is always a string. */
export interface WechatPhone {
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
}

/** The decrypted legacy getUserInfo payload (its watermark already checked). */
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

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by `wechatLogin`, `requireWechatSession` and `decryptPhone`. */
      wechat?: WechatSession;
    }
  }
}
