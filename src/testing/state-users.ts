/**
 * The users of one app (or one WeCom corp) and their current session keys.
 */
import { newSessionKey } from './crypto-helpers.js';
import type { PhoneInput, PhoneRecord } from './types.js';

/** A user known to one app of the stand-in. */
export interface StandInUser {
  /** The openid in that app (a WeCom userid in a corp's book). */
  openid: string;
  unionid?: string;
  blocked: boolean;
  sessionKey: string;
  /** Set once the session_key expired at WeChat (`expireSessionKey`); the next login clears it. */
  expired?: boolean;
}

/** What a login changes about a user; absent fields keep their earlier values. */
export interface UserUpdate {
  unionid?: string | null;
  blocked?: boolean;
}

const DEFAULT_PHONE = '13800138000';

/** Normalise a {@link PhoneInput} into the record WeChat returns. */
export function toPhoneRecord(phone: PhoneInput | undefined): PhoneRecord {
  if (phone === undefined || typeof phone === 'string') {
    const number = phone ?? DEFAULT_PHONE;
    return { phoneNumber: number, purePhoneNumber: number, countryCode: '86' };
  }
  const pure = phone.purePhoneNumber ?? phone.phoneNumber ?? DEFAULT_PHONE;
  return {
    phoneNumber: phone.phoneNumber ?? pure,
    purePhoneNumber: pure,
    countryCode: phone.countryCode ?? '86',
  };
}

/** Throws unless `id` is a non-empty string. */
export function checkId(id: unknown, name: string): string {
  if (typeof id !== 'string' || id === '') throw new TypeError(`${name} must be a non-empty string`);
  return id;
}

/** The users of one app. */
export class UserBook {
  readonly #users = new Map<string, StandInUser>();

  /** The user with this openid, if any. */
  get(openid: string): StandInUser | undefined {
    return this.#users.get(openid);
  }

  /** What a login does on the phone: create or update the user and give them a new session_key. */
  login(openid: string, update: UserUpdate = {}): StandInUser {
    const user = this.#users.get(openid) ?? { openid, blocked: false, sessionKey: '' };
    if (update.unionid === null) delete user.unionid;
    else if (update.unionid !== undefined) user.unionid = update.unionid;
    if (update.blocked !== undefined) user.blocked = update.blocked;
    user.sessionKey = newSessionKey();
    delete user.expired;
    this.#users.set(openid, user);
    return user;
  }

  /**
   * The user's session_key expires at WeChat: it is replaced by one nobody
   * holds, so nothing signed with the old one passes, and the `xpay` APIs
   * answer 268490009 until the next login.
   */
  expire(openid: string): boolean {
    const user = this.#users.get(openid);
    if (!user) return false;
    user.sessionKey = newSessionKey();
    user.expired = true;
    return true;
  }

  /** Give a known user a new session_key and return it. */
  rotate(openid: string): string | undefined {
    const user = this.#users.get(openid);
    if (!user) return undefined;
    user.sessionKey = newSessionKey();
    return user.sessionKey;
  }
}
