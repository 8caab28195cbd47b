import { LRUCache } from 'lru-cache';
import type { WechatSession } from './handle.js';
import { hashToken } from './token.js';

/** How long a verdict on a session's key stands, ms. */
const VERDICT_MS = 60_000;

/**
 * What is known of sessions whose encrypted data did not decrypt: whether
 * WeChat still holds their session_key as live. One session's repeated bad
 * payloads then make one report and at most one WeChat call per window,
 * not one each. Keyed by the hash of the token, as the store is.
 */
export class SessionKeyVerdicts {
  readonly #known = new LRUCache<string, boolean>({ max: 10_000, ttl: VERDICT_MS });

  /** The standing verdict on `session`'s key, or the one `judge` gives now (and is remembered). */
  async of(session: WechatSession, judge: () => Promise<boolean>): Promise<boolean> {
    const key = hashToken(session.token);
    const known = this.#known.get(key);
    if (known !== undefined) return known;
    const verdict = await judge();
    this.#known.set(key, verdict);
    return verdict;
  }
}
