/**
 * The one-time codes the stand-in hands out: `wx.login` codes, `wx.qy.login`
 * (WeCom) codes and phone codes. Each is bound to the app or corp it was
 * issued for (its audience) and to one user.
 */
import { newLoginCode, newPhoneCode } from './crypto-helpers.js';
import type { PhoneRecord } from './types.js';

/** What a code is for: a mini-program login, a WeCom login, or a phone number. */
export type CodeKind = 'login' | 'wecom' | 'phone';

interface IssuedCode {
  kind: CodeKind;
  /** The appid (login, phone) or corpid (wecom) the code belongs to. */
  audience: string;
  /** The openid (login, phone) or userid (wecom). */
  subject: string;
  expiresAt: number;
  used: boolean;
  phone?: PhoneRecord;
}

/** Outcome of redeeming a login or WeCom code. */
export type CodeRedeem = { kind: 'ok'; subject: string; use: () => void } | { kind: 'invalid' } | { kind: 'used' };

/** Outcome of redeeming a phone code. */
export type PhoneRedeem = { kind: 'ok'; phone: PhoneRecord } | { kind: 'invalid' } | { kind: 'other-app' };

const PRUNE_EVERY = 1024;

/** Holds every code issued and not yet pruned. */
export class CodeBook {
  readonly #codes = new Map<string, IssuedCode>();

  readonly #now: () => number;
  readonly #ttlMs: number;

  constructor(now: () => number, ttlMs: number) {
    this.#now = now;
    this.#ttlMs = ttlMs;
  }

  /** Issue a code of `kind` for `subject` of `audience`. */
  issue(kind: CodeKind, audience: string, subject: string, phone?: PhoneRecord): string {
    const code = kind === 'phone' ? newPhoneCode() : newLoginCode();
    const entry: IssuedCode = { kind, audience, subject, expiresAt: this.#now() + this.#ttlMs, used: false };
    if (phone) entry.phone = phone;
    this.#codes.set(code, entry);
    this.#prune();
    return code;
  }

  /**
   * Look up a login (`'login'`) or WeCom (`'wecom'`) code for `audience`:
   * unknown, of another kind or audience, or expired is `invalid`. The code
   * is spent only when the caller calls `use()`.
   */
  redeem(code: string, kind: 'login' | 'wecom', audience: string): CodeRedeem {
    const entry = this.#codes.get(code);
    if (!entry || entry.kind !== kind || entry.audience !== audience || entry.expiresAt <= this.#now()) {
      return { kind: 'invalid' };
    }
    if (entry.used) return { kind: 'used' };
    return { kind: 'ok', subject: entry.subject, use: () => void (entry.used = true) };
  }

  /** Redeem a phone code for `appId`; `openid`, when given, must be the code's user. */
  redeemPhone(code: string, appId: string, openid?: string): PhoneRedeem {
    const entry = this.#codes.get(code);
    if (entry?.kind !== 'phone' || !entry.phone) return { kind: 'invalid' };
    if (entry.audience !== appId) return { kind: 'other-app' };
    if (entry.used || entry.expiresAt <= this.#now()) return { kind: 'invalid' };
    if (openid !== undefined && openid !== entry.subject) return { kind: 'invalid' };
    entry.used = true;
    return { kind: 'ok', phone: entry.phone };
  }

  #prune(): void {
    if (this.#codes.size % PRUNE_EVERY !== 0) return;
    const now = this.#now();
    for (const [code, entry] of this.#codes) if (entry.expiresAt <= now) this.#codes.delete(code);
  }
}
