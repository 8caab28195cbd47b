/**
 * Per-request cost of a resolved session against each real store: the
 * median (and p99) latency of `requireWechatSession` alone, called directly
 * with a fake request and response (no HTTP), one call at a time, after a
 * warm-up. Starts its own redis-server, 3-master Cluster and two memcached
 * on free loopback ports, and stops them at the end.
 *
 * Run: `npm run bench:stores` (or `npx tsx bench/store-latency.ts`).
 * Env: BENCH_CALLS (default 5000 per store and round), BENCH_ROUNDS (3).
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import type { Request, RequestHandler, Response } from 'express';
import { RedisStore } from 'connect-redis';
import memjs from 'memjs';
import { createClient, createCluster } from 'redis';
import { expressSessionStore } from '../adapters/express-session.js';
import { memcachedStore } from '../adapters/memcached.js';
import { memoryStore } from '../adapters/memory.js';
import { redisStore } from '../adapters/redis.js';
import { requireWechatSession, wechatLogin, type WechatSessionOptions } from '../src/index.js';
import type { WechatStore } from '../src/store.js';
import { startWechatStandIn, type WechatStandIn } from '../src/testing/index.js';
import { makeServerDir, startMemcached, startRedis, startRedisCluster, stopAll } from '../test/support/servers.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = 1000;
const SESSIONS = 500;

interface Subject {
  name: string;
  store: WechatStore;
  close(): Promise<void>;
}

interface Measured {
  subject: Subject;
  handler: RequestHandler;
  tokens: string[];
  samples: number[];
}

/** Call a middleware with a fake request/response; resolves when it calls `next()`. */
function invoke(handler: RequestHandler, req: object): Promise<Request> {
  return new Promise((resolve, reject) => {
    const res = {
      statusCode: 200,
      headersSent: false,
      setHeader: () => res,
      end: (body?: string) => reject(new Error(`answered ${res.statusCode}: ${body ?? ''}`)),
    };
    handler(req as Request, res as unknown as Response, (err?: unknown) => (err ? reject(err) : resolve(req as Request)));
  });
}

async function login(options: WechatSessionOptions, wechat: WechatStandIn): Promise<string> {
  const body = { code: wechat.issueLoginCode() };
  const headers = { 'content-type': 'application/json' };
  const req = await invoke(wechatLogin(options), { method: 'POST', url: '/login', headers, rawHeaders: ['Content-Type', headers['content-type']], body });
  return req.wechat!.token;
}

async function prepare(subject: Subject, wechat: WechatStandIn): Promise<Measured> {
  const options: WechatSessionOptions = {
    appId: wechat.appId, appSecret: wechat.appSecret, apiBaseUrl: wechat.url, store: subject.store, logger: false,
  };
  const tokens: string[] = [];
  for (let i = 0; i < SESSIONS; i += 10) {
    tokens.push(...(await Promise.all(Array.from({ length: 10 }, () => login(options, wechat)))));
  }
  return { subject, handler: requireWechatSession(options), tokens, samples: [] };
}

async function run(m: Measured, calls: number, record: boolean): Promise<void> {
  for (let i = 0; i < calls; i += 1) {
    const authorization = `Bearer ${m.tokens[i % m.tokens.length]}`;
    const req = { method: 'GET', url: '/api/me', headers: { authorization }, rawHeaders: ['Authorization', authorization] };
    const started = process.hrtime.bigint();
    await invoke(m.handler, req);
    if (record) m.samples.push(Number(process.hrtime.bigint() - started) / 1000);
  }
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function openSubjects(redisUrl: string, clusterNodes: readonly string[], memcached: readonly string[]): Promise<Subject[]> {
  const settings = { disableOfflineQueue: true } as const;
  const redis = createClient({ url: redisUrl, ...settings });
  const forConnectRedis = createClient({ url: redisUrl, ...settings });
  const cluster = createCluster({ rootNodes: clusterNodes.map((a) => ({ url: `redis://${a}` })), defaults: settings });
  const mc = memjs.Client.create(memcached.join(','), { timeout: 0.25, retries: 0, logger: { log: () => undefined } });
  await Promise.all([redis.connect(), forConnectRedis.connect(), cluster.connect()]);
  const none = async () => undefined;
  return [
    { name: 'memory (lru-cache)', store: memoryStore(), close: none },
    { name: 'redis, single node', store: redisStore({ client: redis }), close: async () => redis.destroy() },
    { name: 'redis Cluster, 3 masters', store: redisStore({ client: cluster }), close: async () => cluster.destroy() },
    { name: 'memcached x2 (memjs)', store: memcachedStore({ client: mc }), close: async () => mc.close() },
    {
      name: 'connect-redis (express-session adapter)',
      store: expressSessionStore(new RedisStore({ client: forConnectRedis })),
      close: async () => forConnectRedis.destroy(),
    },
  ];
}

function version(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim().split('\n')[0]!;
  } catch {
    return `${command}: unknown`;
  }
}

function printTable(measured: readonly Measured[]): void {
  const rows = measured.map((m) => {
    const sorted = [...m.samples].sort((a, b) => a - b);
    const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    return [m.subject.name, quantile(sorted, 0.5).toFixed(1), quantile(sorted, 0.99).toFixed(1), mean.toFixed(1), String(sorted.length)];
  });
  const head = ['store', 'median µs', 'p99 µs', 'mean µs', 'calls'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  rows.forEach((r) => console.log(line(r)));
}

async function main(): Promise<void> {
  const dir = makeServerDir();
  const wechat = await startWechatStandIn();
  let subjects: Subject[] = [];
  try {
    const [redis, cluster, mc1, mc2] = await Promise.all([startRedis(dir), startRedisCluster(dir, 3), startMemcached(), startMemcached()]);
    subjects = await openSubjects(`redis://${redis.address}`, cluster.addresses, [mc1.address, mc2.address]);
    const measured: Measured[] = [];
    for (const subject of subjects) measured.push(await prepare(subject, wechat));
    for (const m of measured) await run(m, WARMUP, false);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const m of measured) await run(m, CALLS, true); // rounds interleave the stores
    }
    console.log(`requireWechatSession alone, resolved session (one store read, no renewal), ${CALLS} calls x ${ROUNDS} rounds per store`);
    console.log(`${new Date().toISOString()} · Node ${process.version} · ${cpus().length} CPU ${cpus()[0]?.model ?? ''}`);
    console.log(`${version('redis-server', ['--version'])} · ${version('memcached', ['-V'])}\n`);
    printTable(measured);
  } finally {
    await Promise.all(subjects.map((s) => s.close().catch(() => undefined)));
    await wechat.close();
    await stopAll(dir);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
