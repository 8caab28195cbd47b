/**
 * Users, their session keys, and the one-time login and phone codes.
 */
import { newLoginCode, newOpenid, newPhoneCode, newSessionKey } from './crypto-helpers.js';
import type { PhoneInput, PhoneRecord, StandInUserInput } from './types.js';

/** A user known to the stand-in. */
export interface StandInUser {
  openid: string;
  unionid?: string;
  blocked: boolean;
  sessionKey: string;
}

interface IssuedCode {
  openid: string;
  appId: string;
  expiresAt: number;
  used: boolean;
}

interface IssuedPhoneCode extends IssuedCode {
  phone: PhoneRecord;
}

/** Outcome of exchanging a login code. */
export type LoginRedeem =
  | { kind: 'ok'; user: StandInUser }
  | { kind: 'invalid' }
  | { kind: 'used' }
  | { kind: 'blocked' };

/** Outcome of redeeming a phone code. */
export type PhoneRedeem = { kind: 'ok'; phone: PhoneRecord } | { kind: 'invalid' } | { kind: 'other-app' };

const DEFAULT_PHONE = '13800138000';
const PRUNE_EVERY = 1024;

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

function checkOpenid(openid: unknown): string {
  if (typeof openid !== 'string' || openid === '') throw new TypeError('openid must be a non-empty string');
  return openid;
}

function pruneExpired(codes: Map<string, IssuedCode>, now: number): void {
  if (codes.size % PRUNE_EVERY !== 0) return;
  for (const [code, entry] of codes) if (entry.expiresAt <= now) codes.delete(code);
}

/** Holds users and the codes issued for them. */
export class UserBook {
  private readonly users = new Map<string, StandInUser>();
  private readonly loginCodes = new Map<string, IssuedCode>();
  private readonly phoneCodes = new Map<string, IssuedPhoneCode>();

  constructor(
    private readonly appId: string,
    private readonly now: () => number,
    private readonly codeTtlMs: number,
  ) {}

  /** The user with this openid, if any. */
  get(openid: string): StandInUser | undefined {
    return this.users.get(openid);
  }

  /** Issue a login code; for this app, also rotate the user's session_key. */
  issueLoginCode(input: StandInUserInput = {}): string {
    const openid = input.openid === undefined ? newOpenid() : checkOpenid(input.openid);
    const appId = input.appId ?? this.appId;
    if (appId === this.appId) this.upsertAndRotate(openid, input);
    const code = newLoginCode();
    this.loginCodes.set(code, { openid, appId, expiresAt: this.now() + this.codeTtlMs, used: false });
    pruneExpired(this.loginCodes, this.now());
    return code;
  }

  /** Exchange a login code (jscode2session). The session_key is not rotated here. */
  redeemLoginCode(code: string): LoginRedeem {
    const entry = this.loginCodes.get(code);
    if (!entry || entry.appId !== this.appId || entry.expiresAt <= this.now()) return { kind: 'invalid' };
    if (entry.used) return { kind: 'used' };
    const user = this.users.get(entry.openid);
    if (!user) return { kind: 'invalid' };
    if (user.blocked) return { kind: 'blocked' };
    entry.used = true;
    return { kind: 'ok', user };
  }

  /** Issue a phone code bound to `openid`, optionally as if from another app. */
  issuePhoneCode(openid: string, phone: PhoneInput | undefined, appId = this.appId): string {
    checkOpenid(openid);
    const code = newPhoneCode();
    const expiresAt = this.now() + this.codeTtlMs;
    this.phoneCodes.set(code, { openid, appId, expiresAt, used: false, phone: toPhoneRecord(phone) });
    pruneExpired(this.phoneCodes, this.now());
    return code;
  }

  /** Redeem a phone code (getuserphonenumber); `openid`, when given, must match the code's user. */
  redeemPhoneCode(code: string, openid?: string): PhoneRedeem {
    const entry = this.phoneCodes.get(code);
    if (!entry) return { kind: 'invalid' };
    if (entry.appId !== this.appId) return { kind: 'other-app' };
    if (entry.used || entry.expiresAt <= this.now()) return { kind: 'invalid' };
    if (openid !== undefined && openid !== entry.openid) return { kind: 'invalid' };
    entry.used = true;
    return { kind: 'ok', phone: entry.phone };
  }

  /** Give a known user a new session_key and return it. */
  rotate(openid: string): string | undefined {
    const user = this.users.get(openid);
    if (!user) return undefined;
    user.sessionKey = newSessionKey();
    return user.sessionKey;
  }

  private upsertAndRotate(openid: string, input: StandInUserInput): void {
    const user = this.users.get(openid) ?? { openid, blocked: false, sessionKey: '' };
    if (input.unionid === null) delete user.unionid;
    else if (input.unionid !== undefined) user.unionid = input.unionid;
    if (input.blocked !== undefined) user.blocked = input.blocked;
    user.sessionKey = newSessionKey();
    this.users.set(openid, user);
  }
}
