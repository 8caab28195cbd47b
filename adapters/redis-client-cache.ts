/**
 * Server-assisted client-side caching, through node-redis's public API only
 * (node-redis 5+, a client or Cluster created with `RESP: 3` and
 * `clientSideCache`). The store keeps calling `client.get`; node-redis
 * answers cached keys from memory and Redis pushes an invalidation on the
 * caching connection whenever one changes. Three rules keep a revoked
 * session from being accepted:
 *
 * - A cached read waits for the check phase of its event-loop turn
 *   (`setImmediate`), so every socket ready in the poll phase, the
 *   invalidations' included, has been read before the cache is consulted.
 * - A removal resolves only after a `PING` on the connection that carried
 *   it has been answered: Redis hands out the other connections'
 *   invalidations in the turn it answers the removal, so once that later
 *   reply arrives, they have all left the server.
 * - The cache is trusted only while a `PING` answered within
 *   `maxStaleness` ms proves the connection still delivers invalidations
 *   (see {@link FreshnessProof}); on a reconnection the cache is dropped.
 */

interface CacheLike {
  /** Drop `key` (or everything, for `null`) from the local cache. */
  invalidate(key: string | null): void;
}

interface Pinger {
  ping(): Promise<unknown>;
}

interface CachingClient extends Pinger {
  clientSideCache?: CacheLike;
  on(event: string, listener: () => void): unknown;
  /** Cluster only: route a command by its first key. */
  sendCommand(firstKey: string, isReadonly: boolean, args: string[]): Promise<unknown>;
  masters?: readonly unknown[];
  nodeClient?(node: unknown): Pinger | Promise<Pinger>;
}

/** What the store asks of a client-side cache. */
export interface CacheGuard {
  /** Run `get` once the cache may be trusted for a read made now. */
  read<T>(get: () => Promise<T>): Promise<T>;
  /** This process wrote `key`: drop it locally at once. */
  wrote(key: string): void;
  /** This process removed `key`: resolves once every other connection has been told. */
  ended(key: string): Promise<void>;
}

const IGNORE = (): void => undefined;
/** Rounds a waiting read tries before giving up (each slower than `maxStaleness`). */
const MAX_ROUNDS = 3;

/**
 * How recently the caching connection proved (an answered `PING`) that it
 * still delivers invalidations. Younger than half `maxStaleness`: reads go
 * ahead. Older: one background `PING` renews it while reads still go ahead.
 * Past `maxStaleness`: reads wait for a fresh answer, and fail when none
 * comes (the library's store timeout then answers 503).
 */
export class FreshnessProof {
  #provenAt = Number.NEGATIVE_INFINITY;
  #round: { sentAt: number; done: Promise<void> } | undefined;
  /** Bumped by {@link reset}: answers to PINGs sent before it prove nothing. */
  #generation = 0;

  readonly #ping: () => Promise<unknown>;
  readonly #maxStaleness: number;
  readonly #now: () => number;

  constructor(ping: () => Promise<unknown>, maxStaleness: number, now: () => number = () => performance.now()) {
    this.#ping = ping;
    this.#maxStaleness = maxStaleness;
    this.#now = now;
  }

  /** `undefined` when the cache may be trusted right now, else a promise to wait for. */
  ready(): Promise<void> | undefined {
    const age = this.#now() - this.#provenAt;
    if (age < this.#maxStaleness / 2) return undefined;
    if (age >= this.#maxStaleness) return this.#waitFresh();
    this.#roundNow().catch(IGNORE);
    return undefined;
  }

  /** Forget the current proof (after a reconnection). */
  reset(): void {
    this.#provenAt = Number.NEGATIVE_INFINITY;
    this.#round = undefined;
    this.#generation += 1;
  }

  async #waitFresh(): Promise<void> {
    for (let i = 0; i < MAX_ROUNDS; i += 1) {
      await this.#roundNow();
      if (this.#now() - this.#provenAt < this.#maxStaleness) return;
    }
    throw new Error(`Redis did not confirm its invalidations within ${this.#maxStaleness} ms`);
  }

  /** The PING in flight when it was sent recently enough to prove freshness, else a new one. */
  #roundNow(): Promise<void> {
    const sentAt = this.#now();
    if (this.#round && sentAt - this.#round.sentAt < this.#maxStaleness) return this.#round.done;
    const generation = this.#generation;
    const done = new Promise((resolve) => resolve(this.#ping()))
      .then(() => {
        if (generation === this.#generation) this.#provenAt = Math.max(this.#provenAt, sentAt);
      })
      .finally(() => {
        if (this.#round?.done === done) this.#round = undefined;
      });
    this.#round = { sentAt, done };
    return done;
  }
}

/** Runs tasks in the check phase of the current event-loop turn, one `setImmediate` for all. */
function checkPhase(): (task: () => void) => void {
  let tasks: Array<() => void> = [];
  const flush = (): void => {
    const run = tasks;
    tasks = [];
    for (const task of run) task();
  };
  return (task) => {
    if (tasks.push(task) === 1) setImmediate(flush);
  };
}

/**
 * The guard for `client`'s client-side cache, or `undefined` for a client
 * without one (ioredis, or node-redis without `clientSideCache`).
 */
export function guardClientSideCache(client: unknown, maxStaleness: number): CacheGuard | undefined {
  const redis = client as CachingClient;
  const cache = redis.clientSideCache;
  if (!cache || typeof cache.invalidate !== 'function') return undefined;
  const cluster = Array.isArray(redis.masters) && typeof redis.nodeClient === 'function';
  const pingAll = cluster ? () => Promise.all(redis.masters!.map(async (master) => (await redis.nodeClient!(master)).ping())) : () => redis.ping();
  const proof = new FreshnessProof(pingAll, maxStaleness);
  const drop = (): void => {
    cache.invalidate(null);
    proof.reset();
  };
  for (const event of cluster ? ['node-reconnecting', 'node-ready'] : ['reconnecting', 'ready']) redis.on(event, drop);
  const later = checkPhase();
  const barrier = cluster ? (key: string) => redis.sendCommand(key, false, ['PING']) : () => redis.ping();
  return {
    read: (get) =>
      new Promise((resolve) => {
        later(() => {
          const wait = proof.ready();
          resolve(wait ? wait.then(get) : get());
        });
      }),
    wrote: (key) => cache.invalidate(key),
    async ended(key) {
      cache.invalidate(key);
      await barrier(key).then(IGNORE, IGNORE); // the removal itself succeeded: a failed PING fails nothing
    },
  };
}
