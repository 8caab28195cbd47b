import Redis from 'ioredis';
import { createClient, createCluster } from 'redis';
import { redisStore } from '../../adapters/redis.js';
import { startFaultBackend, type FaultBackend } from '../stores/fault-backend.js';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * Clients in the states apps leave them in: never connected, lazily
 * connecting, a Cluster whose nodes are down at start-up, closed by the app
 * while requests are in flight. Requests answer 503
 * WECHAT_STORE_UNAVAILABLE (never 500, never a hang); once the client is
 * connected again, the same app serves without a restart. Private servers only.
 */

const STORE_TIMEOUT = 300;
const ignore = (): void => undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Scenario {
  name: string;
  uses: 'redis' | 'cluster';
  /** Stop the servers before the client is made. */
  downAtStart: boolean;
  /** A client in the state under test. */
  client(servers: FaultBackend): Promise<unknown>;
  /** What the app does to get the client working again (the servers are up by then). */
  revive(client: unknown): Promise<void>;
  /** Close the client for good. */
  close(client: unknown): Promise<void>;
  /** Optional: put a working client in the state under test while requests are in flight. */
  breakWhileBusy?(client: unknown): Promise<void>;
}

type NodeRedis = ReturnType<typeof createClient>;
type NodeCluster = ReturnType<typeof createCluster>;
const hostPort = (address: string) => ({ host: '127.0.0.1', port: Number(address.split(':')[1]) });
const rootNodes = (servers: FaultBackend) => servers.backend.clusterNodes.map((a) => ({ url: `redis://${a}` }));

/** `connect()` until it works (node-redis rejects while the servers are still starting). */
async function connectWhenUp(connect: () => Promise<unknown>): Promise<void> {
  for (let i = 0; ; i += 1) {
    try {
      await connect();
      return;
    } catch (err) {
      if (i > 40) throw err;
      await sleep(100);
    }
  }
}

const SCENARIOS: Scenario[] = [
  {
    name: 'node-redis client never connected',
    uses: 'redis',
    downAtStart: false,
    client: async (s) => createClient({ url: s.backend.redisUrl }).on('error', ignore),
    revive: async (c) => void (await (c as NodeRedis).connect()),
    close: async (c) => (c as NodeRedis).destroy(),
  },
  {
    name: 'ioredis client in lazyConnect mode, server down at start-up',
    uses: 'redis',
    downAtStart: true,
    client: async (s) => new Redis(s.backend.redisUrl, { lazyConnect: true }).on('error', ignore),
    revive: async () => undefined, // it connects by itself once the server answers
    close: async (c) => (c as Redis).disconnect(),
  },
  {
    name: 'node-redis Cluster whose nodes are down at start-up',
    uses: 'cluster',
    downAtStart: true,
    client: async (s) => {
      const cluster = createCluster({ rootNodes: rootNodes(s) }).on('error', ignore);
      await cluster.connect().catch(ignore); // the app logs this and starts anyway
      return cluster;
    },
    revive: (c) => connectWhenUp(() => (c as NodeCluster).connect()),
    close: async (c) => (c as NodeCluster).destroy(),
  },
  {
    name: 'ioredis Cluster whose nodes are down at start-up',
    uses: 'cluster',
    downAtStart: true,
    client: async (s) => new Redis.Cluster(s.backend.clusterNodes.map(hostPort)).on('error', ignore),
    revive: async () => undefined,
    close: async (c) => (c as InstanceType<typeof Redis.Cluster>).disconnect(),
  },
  {
    name: 'node-redis client closed by the app while requests are in flight',
    uses: 'redis',
    downAtStart: false,
    client: async (s) => {
      const client = createClient({ url: s.backend.redisUrl }).on('error', ignore);
      await client.connect();
      return client;
    },
    breakWhileBusy: async (c) => (c as NodeRedis).destroy(),
    revive: async (c) => void (await (c as NodeRedis).connect()),
    close: async (c) => (c as NodeRedis).destroy(),
  },
  {
    name: 'ioredis client closed by the app while requests are in flight',
    uses: 'redis',
    downAtStart: false,
    client: async (s) => {
      const client = new Redis(s.backend.redisUrl).on('error', ignore);
      await new Promise((resolve) => client.once('ready', resolve));
      return client;
    },
    breakWhileBusy: async (c) => (c as Redis).disconnect(),
    revive: async (c) => (c as Redis).connect(),
    close: async (c) => (c as Redis).disconnect(),
  },
];

const isUnavailable = (res: { status: number; body: any }) => res.status === 503 && res.body?.error?.code === 'WECHAT_STORE_UNAVAILABLE';
const tryLogin = (app: Harness) => app.post('/wechat/login', { code: app.wechat.issueLoginCode() });

/** Logs in, polling, until it works; then the session resolves. */
async function loginWhenBack(app: Harness): Promise<void> {
  for (let i = 0; ; i += 1) {
    const res = await tryLogin(app);
    if (res.status === 200) {
      expect((await app.get('/api/me', res.body.token)).status).toBe(200);
      return;
    }
    expect(isUnavailable(res)).toBe(true);
    if (i > 100) throw new Error('no login within 10 s of the client being revived');
    await sleep(100);
  }
}

test.each(SCENARIOS.map((s) => [s.name, s] as const))(
  '%s: 503 while it cannot serve, then the same app recovers',
  async (_name, scenario) => {
    const servers = await startFaultBackend(scenario.uses);
    if (scenario.downAtStart) await servers.kill();
    const client = await scenario.client(servers);
    const app = await startHarness({ store: redisStore({ client: client as never }), storeTimeout: STORE_TIMEOUT });
    try {
      if (scenario.breakWhileBusy) {
        const { token } = await app.login();
        const inFlight = Array.from({ length: 20 }, () => app.get('/api/me', token));
        await scenario.breakWhileBusy(client);
        const answers = await Promise.all(inFlight);
        expect(answers.filter((r) => r.status !== 200 && !isUnavailable(r))).toEqual([]);
        expect(isUnavailable(await app.get('/api/me', token))).toBe(true);
      }
      const refused = await Promise.all([tryLogin(app), tryLogin(app)]);
      expect(refused.map(isUnavailable)).toEqual([true, true]);
      if (scenario.downAtStart) await servers.restart();
      await scenario.revive(client);
      await loginWhenBack(app);
    } finally {
      await app.close();
      await scenario.close(client).catch(ignore);
      await servers.stop();
    }
  },
  40_000,
);
