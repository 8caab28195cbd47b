import { WechatError } from '../errors.js';

interface Waiter {
  start: () => void;
  timer: NodeJS.Timeout;
}

const busy = (api: string): WechatError =>
  new WechatError('WECHAT_UPSTREAM_BUSY', `Too many WeChat calls under way: ${api} was not sent, retry in a second`, { retryAfter: 1 });

/**
 * Bounds the WeChat calls of one client: at most `maxActive` run at once,
 * at most `maxQueued` wait (first in, first out) for a free place, each for
 * at most `maxWaitMs`. A call past the queue, or one that waited too long,
 * fails at once with 503 `WECHAT_UPSTREAM_BUSY` (`Retry-After: 1`), before
 * anything is sent, so a burst of logins opens a bounded number of sockets.
 */
export class CallLimiter {
  readonly #maxActive: number;
  readonly #maxQueued: number;
  #active = 0;
  /** Insertion-ordered: the first entry is the oldest waiter, and one that gives up leaves in O(1). */
  readonly #waiting = new Set<Waiter>();

  constructor(maxActive: number, maxQueued: number) {
    this.#maxActive = maxActive;
    this.#maxQueued = maxQueued;
  }

  /** Run `task` once a place is free; `api` names the call in the error of one refused. */
  async run<T>(api: string, maxWaitMs: number, task: () => Promise<T>): Promise<T> {
    await this.#enter(api, maxWaitMs);
    try {
      return await task();
    } finally {
      this.#leave();
    }
  }

  #enter(api: string, maxWaitMs: number): Promise<void> | undefined {
    if (this.#active < this.#maxActive) {
      this.#active += 1;
      return undefined;
    }
    if (this.#waiting.size >= this.#maxQueued) return Promise.reject(busy(api));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          if (this.#waiting.delete(waiter)) reject(busy(api)); // else it was just handed a place
        }, maxWaitMs),
      };
      this.#waiting.add(waiter);
    });
  }

  /**
   * The place is handed on one turn of the event loop after the call ended:
   * by then fetch has put that call's socket back in its pool, so the next
   * call reuses it rather than opening another.
   */
  #leave(): void {
    setImmediate(() => this.#handOver());
  }

  /** Hand the place over to the oldest waiter, or free it. */
  #handOver(): void {
    const next = this.#waiting.values().next();
    if (next.done) {
      this.#active -= 1;
      return;
    }
    this.#waiting.delete(next.value);
    next.value.start();
  }
}
