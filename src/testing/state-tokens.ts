/**
 * Access tokens: the stable one (`cgi-bin/stable_token`) and the classic one
 * (`cgi-bin/token`), which never invalidate each other.
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

const MAX_REMEMBERED = 100_000;

/** Issues and checks access tokens. */
export class TokenBook {
  private readonly tokens = new Map<string, TokenRecord>();
  private stable: string | undefined;
  private classic: string | undefined;

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  /** The current stable token while it is valid; a new one after expiry, revocation or `force`. */
  issueStable(force: boolean): IssuedToken {
    const current = this.stable === undefined ? undefined : this.tokens.get(this.stable);
    if (this.stable !== undefined && current && !force && this.isLive(current)) {
      return { access_token: this.stable, expires_in: this.remainingSeconds(current) };
    }
    if (current) current.revoked = true;
    this.stable = this.add();
    return { access_token: this.stable, expires_in: Math.round(this.ttlMs / 1000) };
  }

  /** A new classic token; the previous classic token stops working. */
  issueClassic(): IssuedToken {
    const previous = this.classic === undefined ? undefined : this.tokens.get(this.classic);
    if (previous) previous.revoked = true;
    this.classic = this.add();
    return { access_token: this.classic, expires_in: Math.round(this.ttlMs / 1000) };
  }

  /** Check a token: unknown 40014, replaced or revoked 40001, expired 42001, missing 41001. */
  check(token: string | null): TokenCheck {
    if (token === null || token === '') return 41001;
    const record = this.tokens.get(token);
    if (!record) return 40014;
    if (record.revoked) return 40001;
    if (record.expiresAt <= this.now()) return 42001;
    return 0;
  }

  /** Every token issued so far answers 40001 from now on. */
  revokeAll(): void {
    for (const record of this.tokens.values()) record.revoked = true;
  }

  private isLive(record: TokenRecord): boolean {
    return !record.revoked && record.expiresAt > this.now();
  }

  private remainingSeconds(record: TokenRecord): number {
    return Math.max(1, Math.ceil((record.expiresAt - this.now()) / 1000));
  }

  private add(): string {
    if (this.tokens.size >= MAX_REMEMBERED) {
      const oldest = this.tokens.keys().next().value;
      if (oldest !== undefined) this.tokens.delete(oldest);
    }
    const token = newAccessToken();
    this.tokens.set(token, { expiresAt: this.now() + this.ttlMs, revoked: false });
    return token;
  }
}
