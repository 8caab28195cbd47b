import { WechatError } from '../errors.js';
import { hashToken, isTokenShaped } from './token.js';

/** Most tokens remembered; past it, the memory starts over. */
const MAX_TOKENS = 4096;

/** A token's hash and the store key of its session. */
export interface TokenKey {
  hash: string;
  key: string;
}

/**
 * The store keys of session tokens (`<prefix><hash of the token>`), with
 * those of recently seen tokens remembered, so a returning token is not
 * checked and hashed again on every request. The tokens remembered are
 * those that requests carried anyway; the store still never sees one.
 *
 * @example
 * ```ts
 * const keys = new TokenKeys(`${appId}:s:`);
 * const { hash, key } = keys.of(token); // throws WECHAT_SESSION_INVALID for a malformed token
 * ```
 */
export class TokenKeys {
  readonly #known = new Map<string, TokenKey>();

  constructor(private readonly prefix: string) {}

  /** The key of `token`; throws `WECHAT_SESSION_INVALID` when it cannot be one of ours. */
  of(token: string): TokenKey {
    const known = this.#known.get(token);
    if (known !== undefined) return known;
    if (!isTokenShaped(token)) throw new WechatError('WECHAT_SESSION_INVALID', 'The session token is malformed');
    const hash = hashToken(token);
    const entry: TokenKey = { hash, key: this.prefix + hash };
    if (this.#known.size >= MAX_TOKENS) this.#known.clear();
    this.#known.set(token, entry);
    return entry;
  }
}
