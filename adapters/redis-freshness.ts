/**
 * With server-assisted client-side caching, Redis pushes an invalidation on
 * the client's own connection whenever a key it read changes. A reply to a
 * `PING` sent at time `t` therefore proves that every invalidation for a
 * write the server made before `t` has been received: they travel ahead of
 * the reply on the same connection. A connection that silently stops
 * delivering (a partition, a stalled server) can no longer prove anything,
 * and cached reads must stop being trusted.
 *
 * `FreshnessProof` keeps the time of the latest such proof. While it is
 * younger than half of `maxStaleness`, cached reads go ahead with no extra
 * work; past that, a background `PING` renews it while reads still go ahead;
 * past `maxStaleness`, reads wait for a fresh proof (and fail when the
 * server does not answer: the library's store timeout then answers 503).
 */

const IGNORE = (): void => undefined;
/** Rounds a waiting read tries before giving up (each one slower than `maxStaleness`). */
const MAX_ROUNDS = 3;

interface Round {
  /** When its PING(s) were sent (ms, monotonic). */
  sentAt: number;
  done: Promise<void>;
}

/**
 * Tracks how recently a caching connection proved it still delivers
 * invalidations.
 *
 * @example
 * ```ts
 * const proof = new FreshnessProof(() => client.ping(), 1000);
 * const wait = proof.ready();
 * if (wait) await wait;
 * const value = await client.get(key); // may come from the local cache
 * ```
 */
export class FreshnessProof {
  #provenAt = Number.NEGATIVE_INFINITY;
  #round: Round | undefined;
  /** Bumped by {@link reset}: answers to PINGs sent before it prove nothing. */
  #generation = 0;
  readonly #refreshAfter: number;

  constructor(
    private readonly ping: () => Promise<unknown>,
    private readonly maxStaleness: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#refreshAfter = maxStaleness / 2;
  }

  /** Milliseconds since the latest proof (Infinity before the first). */
  get age(): number {
    return this.now() - this.#provenAt;
  }

  /**
   * `undefined` when a cached read may be trusted right now (the usual
   * case, no allocation); otherwise a promise that resolves once it may,
   * or rejects when the server does not prove it.
   */
  ready(): Promise<void> | undefined {
    const now = this.now();
    const age = now - this.#provenAt;
    if (age < this.#refreshAfter) return undefined;
    if (age < this.maxStaleness) {
      this.#roundAt(now).done.catch(IGNORE);
      return undefined;
    }
    return this.#waitFresh();
  }

  /** Forget the current proof: the next read waits for a new one (after a reconnection, say). */
  reset(): void {
    this.#provenAt = Number.NEGATIVE_INFINITY;
    this.#round = undefined;
    this.#generation += 1;
  }

  async #waitFresh(): Promise<void> {
    for (let i = 0; i < MAX_ROUNDS; i += 1) {
      await this.#roundAt(this.now()).done;
      if (this.now() - this.#provenAt < this.maxStaleness) return;
    }
    throw new Error(`Redis did not confirm its invalidations within ${this.maxStaleness} ms`);
  }

  async #sendPing(): Promise<void> {
    await this.ping();
  }

  /** The round in flight when it was sent recently enough to prove freshness, else a new one. */
  #roundAt(now: number): Round {
    const current = this.#round;
    if (current && now - current.sentAt < this.maxStaleness) return current;
    const round: Round = { sentAt: now, done: Promise.resolve() };
    const generation = this.#generation;
    round.done = this.#sendPing().then(
      () => {
        if (generation === this.#generation && round.sentAt > this.#provenAt) this.#provenAt = round.sentAt;
        if (this.#round === round) this.#round = undefined;
      },
      (error: unknown) => {
        if (this.#round === round) this.#round = undefined;
        throw error;
      },
    );
    this.#round = round;
    return round;
  }
}
