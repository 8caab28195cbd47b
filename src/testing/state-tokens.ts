/**
 * The access tokens of one app, platform or corp. Each kind lives in its own
 * slot and never invalidates another: the stable token (`cgi-bin/stable_token`),
 * the classic one (`cgi-bin/token`), an authorizer_access_token, a
 * component_access_token, a WeCom corp token.
 */
import { newAccessToken } from './crypto-helpers.js';

interface TokenRecord {
  expiresAt: number;
  revoked: boolean;
}

/** What WeChat answers when a token is issued. */
export interface IssuedToken {
  access_token: string;
  expires_in: number;
}

/** Result of checking an `access_token` query parameter: 0, or the errcode to answer. */
export type TokenCheck = 0 | 40001 | 40014 | 41001 | 42001;

/** The kinds of token a book holds. */
export type TokenSlot = 'stable' | 'classic' | 'authorizer' | 'component' | 'corp';

const MAX_REMEMBERED = 100_000;

/** Issues and checks the tokens of one owner. */
export class TokenBook {
  readonly #tokens = new Map<string, TokenRecord>();
  readonly #current = new Map<TokenSlot, string>();

  readonly #now: () => number;
  readonly #ttlMs: number;

  constructor(now: () => number, ttlMs: number) {
    this.#now = now;
    this.#ttlMs = ttlMs;
  }

  /**
   * The slot's token while it is valid, with its remaining seconds; a new one
   * (`preferred` when given and never used) after expiry, revocation or `force`.
   */
  issueCurrent(slot: TokenSlot, force: boolean, preferred?: string): IssuedToken {
    const token = this.#current.get(slot);
    const record = token === undefined ? undefined : this.#tokens.get(token);
    if (token !== undefined && record && !force && this.#isLive(record)) {
      return { access_token: token, expires_in: this.#remainingSeconds(record) };
    }
    return this.replace(slot, preferred);
  }

  /** A new token in the slot; the slot's previous token stops working. */
  replace(slot: TokenSlot, preferred?: string): IssuedToken {
    const previous = this.#current.get(slot);
    const record = previous === undefined ? undefined : this.#tokens.get(previous);
    if (record) record.revoked = true;
    const token = this.#add(preferred !== undefined && !this.#tokens.has(preferred) ? preferred : newAccessToken());
    this.#current.set(slot, token);
    return { access_token: token, expires_in: Math.round(this.#ttlMs / 1000) };
  }

  /** Whether this book issued `token` (valid or not). */
  knows(token: string): boolean {
    return this.#tokens.has(token);
  }

  /** Check a token: unknown 40014, replaced or revoked 40001, expired 42001, missing 41001. */
  check(token: string | null): TokenCheck {
    if (token === null || token === '') return 41001;
    const record = this.#tokens.get(token);
    if (!record) return 40014;
    if (record.revoked) return 40001;
    if (record.expiresAt <= this.#now()) return 42001;
    return 0;
  }

  /** Every token issued so far answers 40001 from now on. */
  revokeAll(): void {
    for (const record of this.#tokens.values()) record.revoked = true;
  }

  #isLive(record: TokenRecord): boolean {
    return !record.revoked && record.expiresAt > this.#now();
  }

  #remainingSeconds(record: TokenRecord): number {
    return Math.max(1, Math.ceil((record.expiresAt - this.#now()) / 1000));
  }

  #add(token: string): string {
    if (this.#tokens.size >= MAX_REMEMBERED) {
      const oldest = this.#tokens.keys().next().value;
      if (oldest !== undefined) this.#tokens.delete(oldest);
    }
    this.#tokens.set(token, { expiresAt: this.#now() + this.#ttlMs, revoked: false });
    return token;
  }
}
