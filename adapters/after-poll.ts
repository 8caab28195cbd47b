/**
 * A read from a client-side cache must not overtake an invalidation that
 * reached this process before the request that reads. Node reads sockets in
 * the event loop's poll phase, in an order that does not follow arrival: a
 * request on a busy keep-alive connection can be handled before Redis's
 * invalidation, waiting on its own socket, has been read. `setImmediate`
 * callbacks run in the check phase, once every socket that was ready in the
 * poll phase has been read; a cached read deferred there sees every
 * invalidation that arrived before its request.
 *
 * One `setImmediate` serves every read deferred in the same loop turn.
 */

let queue: Array<() => void> = [];

function flush(): void {
  const run = queue;
  queue = [];
  for (let i = 0; i < run.length; i += 1) run[i]!();
}

/**
 * Run `task` in the check phase of the current event-loop turn.
 *
 * @example
 * ```ts
 * afterPollPhase(() => resolve(cache.get(key)));
 * ```
 */
export function afterPollPhase(task: () => void): void {
  if (queue.push(task) === 1) setImmediate(flush);
}
