import { FreshnessProof } from '../../adapters/redis-client-cache.js';

/**
 * The rule that decides when a client-side cache may be trusted, on an
 * injected clock with PINGs the test answers by hand.
 */

interface Pending {
  resolve(): void;
  reject(error: Error): void;
}

function setup(maxStaleness = 1000) {
  let now = 10_000;
  const pings: Pending[] = [];
  const ping = () => new Promise<void>((resolve, reject) => pings.push({ resolve, reject }));
  const proof = new FreshnessProof(ping, maxStaleness, () => now);
  return {
    proof,
    pings,
    tick: (ms: number) => void (now += ms),
    flush: () => new Promise((resolve) => setImmediate(resolve)),
  };
}

test('nothing is trusted before a first PING has been answered', async () => {
  const { proof, pings, flush } = setup();
  const wait = proof.ready();
  expect(wait).toBeInstanceOf(Promise);
  expect(proof.ready()).toBeInstanceOf(Promise); // a second reader joins the same PING
  expect(pings).toHaveLength(1);
  let done = false;
  void wait!.then(() => (done = true));
  await flush();
  expect(done).toBe(false);
  pings[0]!.resolve();
  await flush();
  expect(done).toBe(true);
  expect(proof.ready()).toBeUndefined();
});

test('fresh proof: no PING; half-way: one background PING while reads go on; stale: reads wait', async () => {
  const { proof, pings, tick, flush } = setup(1000);
  const first = proof.ready()!;
  pings[0]!.resolve();
  await first;
  tick(499);
  expect(proof.ready()).toBeUndefined();
  expect(pings).toHaveLength(1);
  tick(1);
  expect(proof.ready()).toBeUndefined(); // still trusted…
  expect(proof.ready()).toBeUndefined();
  expect(pings).toHaveLength(2); // …and exactly one refresh is under way
  pings[1]!.resolve();
  await flush();
  tick(999); // 999 ms after the refresh was sent
  expect(proof.ready()).toBeUndefined();
  tick(1); // 1000 ms after: the refresh round started at 500 ms is reused, nothing newer has answered
  const wait = proof.ready();
  expect(wait).toBeInstanceOf(Promise);
});

test('a PING that is never answered makes reads fail once stale, not hang on a stale cache', async () => {
  const { proof, pings, tick } = setup(1000);
  const first = proof.ready()!;
  pings[0]!.resolve();
  await first;
  tick(1500);
  const wait = proof.ready()!;
  expect(wait).toBeInstanceOf(Promise);
  pings.at(-1)!.reject(new Error('connection lost'));
  await expect(wait).rejects.toThrow('connection lost');
  expect(proof.ready()).toBeInstanceOf(Promise); // and the next read asks again
});

test('an answer that arrives too late to prove freshness is not enough: the reader asks again', async () => {
  const { proof, pings, tick, flush } = setup(1000);
  const wait = proof.ready()!;
  let done = false;
  void wait.then(() => (done = true));
  tick(1200); // the server answers 1.2 s after the PING was sent
  pings[0]!.resolve();
  await flush();
  expect(done).toBe(false);
  expect(pings).toHaveLength(2);
  pings[1]!.resolve();
  await flush();
  expect(done).toBe(true);
});

test('reset(): answers to PINGs sent before it prove nothing', async () => {
  const { proof, pings, flush } = setup(1000);
  const first = proof.ready()!;
  proof.reset();
  pings[0]!.resolve();
  await flush();
  expect(proof.ready()).toBeInstanceOf(Promise);
  pings.at(-1)!.resolve();
  await first;
  expect(proof.ready()).toBeUndefined();
});
