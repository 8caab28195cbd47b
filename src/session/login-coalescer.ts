import type { WechatSession } from './handle.js';
import type { Identity } from './manager.js';

/**
 * One code's exchange, shared by the requests that carried it: WeChat's
 * answer, and the session made from it once a request passed its checks.
 */
export interface SharedLogin {
  identity: Identity;
  /** Created by the first request whose own fields check out; absent until then. */
  session?: Promise<WechatSession>;
}

interface Exchange {
  result: Promise<SharedLogin>;
  /** performance.now() when the exchange settled; undefined while under way. */
  settledAt?: number;
}

/** Bound on remembered exchanges, so junk codes cannot grow the map without limit. */
const MAX_ENTRIES = 10_000;

/**
 * Makes concurrent logins with one code share one exchange. "Concurrent"
 * means the requests overlapped in time: a request that arrived before the
 * exchange settled gets its result, even if its body was read later; a
 * request that arrives afterwards exchanges again (and WeChat answers
 * 40163, code been used).
 */
export class LoginCoalescer {
  private readonly exchanges = new Map<string, Exchange>();

  /**
   * @param keepMs how long a settled exchange is remembered for requests
   * that arrived while it ran: as long as such a request may still be
   * reading its body (the `bodyTimeout`).
   */
  constructor(private readonly keepMs = 10_000) {}

  run(code: string, arrivedAt: number, exchange: () => Promise<SharedLogin>): Promise<SharedLogin> {
    const known = this.exchanges.get(code);
    if (known && (known.settledAt === undefined || arrivedAt < known.settledAt)) return known.result;
    this.sweep();
    const entry: Exchange = { result: exchange() };
    const settle = () => {
      entry.settledAt = performance.now();
    };
    entry.result.then(settle, settle);
    this.exchanges.set(code, entry);
    return entry.result;
  }

  private sweep(): void {
    const cutoff = performance.now() - this.keepMs;
    for (const [code, entry] of this.exchanges) {
      if (this.exchanges.size < MAX_ENTRIES && (entry.settledAt === undefined || entry.settledAt > cutoff)) break;
      if (entry.settledAt !== undefined) this.exchanges.delete(code);
    }
  }
}
