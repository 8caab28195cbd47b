import type { WechatSession } from './handle.js';
import type { Identity } from './manager.js';

/** A login's session and what the app's `onLogin` added to the answer. */
export interface CreatedSession {
  session: WechatSession;
  answer?: Record<string, unknown>;
}

/**
 * One code's exchange, shared by the requests that carried it while it ran:
 * WeChat's answer, and the session made from it once a request passed its
 * checks.
 */
export interface SharedLogin {
  identity: Identity;
  /** Created by the first request whose own fields check out; absent until then. */
  session?: Promise<CreatedSession>;
}

/** Most exchanges shared at once; past it, a login exchanges on its own. */
const MAX_IN_FLIGHT = 10_000;

/**
 * Makes concurrent logins with one code share one exchange: a request whose
 * code is being exchanged waits for that exchange instead of spending the
 * code a second time (WeChat would answer 40163, code been used). Only
 * exchanges under way are kept: an entry is dropped the moment it settles,
 * so nothing of a finished login (its session_key least of all) stays here.
 * Insert and removal are O(1).
 */
export class LoginCoalescer {
  readonly #inFlight = new Map<string, Promise<SharedLogin>>();

  run(code: string, exchange: () => Promise<SharedLogin>): Promise<SharedLogin> {
    const known = this.#inFlight.get(code);
    if (known) return known;
    const result = exchange();
    if (this.#inFlight.size >= MAX_IN_FLIGHT) return result;
    this.#inFlight.set(code, result);
    const drop = () => {
      this.#inFlight.delete(code);
    };
    result.then(drop, drop);
    return result;
  }

  /** Exchanges under way. */
  get size(): number {
    return this.#inFlight.size;
  }
}
