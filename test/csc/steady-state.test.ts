import { createClient } from 'redis';
import { memoryStore } from '../../adapters/memory.js';
import { redisStore } from '../../adapters/redis.js';
import { hashToken } from '../../src/session/token.js';
import type { WechatStore } from '../../src/store.js';
import { countingStore, type CountingStore } from '../store-e2e/counting-store.js';
import { startHarness, type Harness } from '../support/harness.js';
import { redisRaw } from '../support/probes.js';
import { makeServerDir, startRedis, type ManagedServer } from '../support/servers.js';

/**
 * What a resolved request costs the store in steady state, counted twice:
 * by the library's calls on the store, and by the commands a private Redis
 * executed (INFO commandstats). One read and no write per request; with
 * client-side caching, no command reaches Redis at all (but a PING now and
 * then that proves the cache still hears invalidations).
 */

const REQUESTS = 200;
const RENEW_AFTER = 60;
const ignore = (): void => undefined;

let redis: ManagedServer;
beforeAll(async () => {
  redis = await startRedis(makeServerDir());
}, 20_000);
afterAll(async () => {
  await redis?.stop();
});

/** Commands Redis executed since the last reset, by name (lower case). */
async function commands(): Promise<Record<string, number>> {
  const info = await redisRaw(redis.port, 'INFO', 'commandstats');
  const out: Record<string, number> = {};
  for (const m of info.matchAll(/cmdstat_([a-z|]+):calls=(\d+)/g)) out[m[1]!] = Number(m[2]);
  return out;
}
const resetCommands = () => redisRaw(redis.port, 'CONFIG', 'RESETSTAT');
/** Commands counted, without the two a probe sends itself (INFO, CONFIG). */
const theirs = (counted: Record<string, number>) =>
  Object.fromEntries(Object.entries(counted).filter(([name]) => !['info', 'config|resetstat'].includes(name)));

interface Setup {
  name: string;
  open(): Promise<{ store: WechatStore; close(): Promise<void> }>;
}

const SETUPS: Setup[] = [
  { name: 'memory store', open: async () => ({ store: memoryStore(), close: async () => undefined }) },
  {
    name: 'Redis',
    open: async () => {
      const client = createClient({ url: `redis://${redis.address}` });
      client.on('error', ignore);
      await client.connect();
      return { store: redisStore({ client }), close: async () => client.destroy() };
    },
  },
  {
    name: 'Redis + client-side cache',
    open: async () => {
      const client = createClient({ url: `redis://${redis.address}`, RESP: 3, clientSideCache: { maxEntries: 1000 } });
      client.on('error', ignore);
      await client.connect();
      return { store: redisStore({ client }), close: async () => client.destroy() };
    },
  },
];

describe.each(SETUPS.map((s) => [s.name, s] as const))('steady state, %s', (name, setup) => {
  let app: Harness;
  let counting: CountingStore;
  let close: () => Promise<void>;
  let clock = Date.now();

  beforeAll(async () => {
    const opened = await setup.open();
    close = opened.close;
    counting = countingStore(opened.store);
    app = await startHarness({ store: counting.store, renewAfter: RENEW_AFTER, now: () => clock });
  });
  afterAll(async () => {
    await app?.close();
    await close?.();
  });

  const burst = async (token: string) => {
    for (let i = 0; i < REQUESTS; i += 1) expect((await app.get('/api/me', token)).status).toBe(200);
  };

  test(`${REQUESTS} resolved requests: one store read each, no write`, async () => {
    const { token } = await app.login();
    await burst(token); // warm (the cache, if any)
    counting.reset();
    await resetCommands();
    const started = Date.now();
    await burst(token);
    const seconds = (Date.now() - started) / 1000;
    const server = theirs(await commands());
    expect(counting.calls.filter((c) => c.method === 'get')).toHaveLength(REQUESTS);
    expect(counting.writes()).toEqual([]);
    if (name === 'Redis') expect(server).toEqual({ get: REQUESTS });
    if (name === 'Redis + client-side cache') {
      // Not one GET: every read was answered in process. At most one PING per half maxStaleness (1 s).
      const { ping = 0, ...others } = server;
      expect(others).toEqual({});
      expect(ping).toBeLessThanOrEqual(Math.ceil(seconds / 0.5) + 1);
    }
  });

  test('a due renewal writes once (record and index), then the session is quiet again', async () => {
    const { token } = await app.login();
    await burst(token);
    clock += (RENEW_AFTER + 1) * 1000;
    counting.reset();
    await burst(token);
    expect(
      counting
        .writes()
        .map((c) => c.method)
        .sort(),
    ).toEqual(['replace', 'touch']);
    counting.reset();
    await burst(token);
    expect(counting.writes()).toEqual([]);
  });
});

describe('client-side cache: reads through node-redis', () => {
  let client: ReturnType<typeof createClient>;
  let app: Harness;

  beforeAll(async () => {
    client = createClient({ url: `redis://${redis.address}`, RESP: 3, clientSideCache: { maxEntries: 1000 } });
    client.on('error', ignore);
    await client.connect();
    app = await startHarness({ store: redisStore({ client }), renewAfter: RENEW_AFTER });
  });
  afterAll(async () => {
    await app?.close();
    client?.destroy();
  });

  test('a cached session is answered by node-redis from its cache, and a change made elsewhere is seen', async () => {
    const { token } = await app.login();
    expect((await app.get('/api/me', token)).status).toBe(200);
    const before = client.clientSideCache!.stats();
    await resetCommands();
    for (let i = 0; i < 50; i += 1) expect((await app.get('/api/me', token)).status).toBe(200);
    const after = client.clientSideCache!.stats();
    expect(after.hitCount - before.hitCount).toBe(50);
    expect(after.missCount).toBe(before.missCount);
    expect(theirs(await commands()).get).toBeUndefined();
    // Another connection ends the session: the cached entry is dropped, and the next read (a miss) is refused.
    await redisRaw(redis.port, 'DEL', `wxs:${app.options.appId}:s:${hashToken(token)}`);
    expect((await app.get('/api/me', token)).status).toBe(401);
    expect(client.clientSideCache!.stats().missCount).toBe(after.missCount + 1);
  });
});
