/**
 * A round trip on the connection that carried a write, started only once
 * the write was acknowledged.
 *
 * Redis hands the invalidations a write causes to the other connections'
 * sockets in the same event-loop turn in which it answers the write, but it
 * may answer the writer a few microseconds first. A command sent after that
 * answer is read in a later turn, so its reply proves every such
 * invalidation has left the server. Resolving a revocation only then makes
 * "refused everywhere once the revoking call has answered" hold by
 * construction for processes that cache sessions (client-side caching), not
 * by how fast they happen to be scheduled.
 */

interface PingingClient {
  ping?(): Promise<unknown>;
  /** Cluster: route a command to the node that holds `firstKey`. */
  sendCommand?(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[]): Promise<unknown>;
  masters?: unknown;
  nodeClient?: unknown;
}

const IGNORE = (): undefined => undefined;
const NONE = (): Promise<void> => Promise.resolve();

function isCluster(client: PingingClient): boolean {
  return typeof client.nodeClient === 'function' && Array.isArray(client.masters);
}

/**
 * A function that pings the node holding `key` and resolves when it
 * answered (or failed: the write itself succeeded, so a failed barrier
 * never fails the caller). Clients without `PING` get a no-op.
 *
 * @example
 * ```ts
 * const barrier = writeBarrier(client);
 * await client.del(key);
 * await barrier(key);
 * ```
 */
export function writeBarrier(client: unknown): (key: string) => Promise<void> {
  const c = client as PingingClient;
  if (isCluster(c) && typeof c.sendCommand === 'function') {
    return (key) => c.sendCommand!(key, false, ['PING']).then(IGNORE, IGNORE);
  }
  if (typeof c.ping === 'function') return () => c.ping!().then(IGNORE, IGNORE);
  return NONE;
}
