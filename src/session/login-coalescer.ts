import type { WechatSession } from './handle.js';

interface Exchange {
  result: Promise<WechatSession>;
  /** performance.now() when the exchange settled; undefined while under way. */
  settledAt?: number;
}

/** How long a settled exchange is remembered for requests that arrived while it ran. */
const KEEP_MS = 10_000;
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

  run(code: string, arrivedAt: number, exchange: () => Promise<WechatSession>): Promise<WechatSession> {
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
    const cutoff = performance.now() - KEEP_MS;
    for (const [code, entry] of this.exchanges) {
      if (this.exchanges.size < MAX_ENTRIES && (entry.settledAt === undefined || entry.settledAt > cutoff)) break;
      if (entry.settledAt !== undefined) this.exchanges.delete(code);
    }
  }
}
