import { rmSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { makeServerDir, startMemcached, startRedis, stopAll } from '../test/support/servers.js';
import { startAppProcess, type AppProcess } from './app-process.js';
import { LIBRARY, type SoakConfig } from './config.js';
import { CYCLE, graceMs, inject, type FaultKind, type FaultTargets, type FaultWindow, type StoreName } from './faults.js';
import { Tally, type SoakReport } from './report.js';
import { loopDelay, type ServerMessage } from './protocol.js';
import { startStandInProcess, type StandInControl } from './standin-client.js';
import { faultsDuring, withinTable } from './table.js';
import { makeUsers, type VirtualUser } from './traffic.js';

export type { SoakReport } from './report.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small seeded generator (mulberry32), so the traffic mix of a run can be replayed with SOAK_SEED. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks that every session a store held before a stall or drop is still there after it. */
class SessionAudit {
  checked = 0;
  lost = 0;
  private readonly pending: Promise<void>[] = [];

  constructor(private readonly epochs: Record<StoreName, number>) {}

  /** The sessions `store`'s users hold right now. */
  snapshot(users: readonly VirtualUser[], store?: StoreName): [VirtualUser, string][] {
    return users.filter((u) => (!store || u.store === store) && u.token).map((u) => [u, u.token!]);
  }

  /** Verify each session of the snapshot the user still holds, after `delayMs`. */
  verifyLater(snapshot: [VirtualUser, string][], delayMs: number): void {
    this.pending.push(sleep(delayMs).then(() => this.verify(snapshot)));
  }

  async verify(snapshot: [VirtualUser, string][]): Promise<void> {
    await Promise.all(snapshot.map(([user, token]) => user.exclusive(() => this.verifyOne(user, token))));
  }

  async done(): Promise<void> {
    await Promise.all(this.pending);
  }

  private async verifyOne(user: VirtualUser, token: string): Promise<void> {
    if (user.token !== token || user.epoch < this.epochs[user.store]) return; // logged out since, or its store was killed
    this.checked++;
    for (let attempt = 0; attempt < 12; attempt++) {
      const status = await user.resolve();
      if (status === 200) return;
      if (status === 401) break;
      await sleep(250); // 503: the store is still coming back
    }
    this.lost++;
  }
}

/** The traffic: each user steps, thinks, steps again, until stopped; can be paused at a step boundary. */
class Traffic {
  private running = true;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  private readonly loops: Promise<void>[];

  constructor(private readonly users: readonly VirtualUser[], config: SoakConfig, random: () => number) {
    const [min, max] = config.thinkMs;
    this.loops = users.map(async (user) => {
      await sleep(random() * max);
      while (this.running) {
        if (this.gate) await this.gate;
        if (!this.running) break;
        await user.exclusive(() => user.step(random));
        await sleep(min + random() * (max - min));
      }
    });
  }

  /** Hold every user at its next step and wait until none has a request out. */
  async pause(): Promise<void> {
    this.gate = new Promise((resolve) => (this.open = resolve));
    await Promise.all(this.users.map((u) => u.exclusive(async () => undefined)));
  }

  resume(): void {
    this.open?.();
    this.gate = undefined;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.resume();
    await Promise.all(this.loops);
  }
}

/**
 * Heap after GC in a settled app: traffic held, and logins remembered for
 * requests still reading their bodies forgotten (a login on each store
 * sweeps them once `bodyTimeout` has passed).
 */
async function settledHeap(app: AppProcess, wechat: StandInControl, traffic: Traffic): Promise<Extract<ServerMessage, { type: 'heap' }>> {
  await traffic.pause();
  await sleep(LIBRARY.bodyTimeout + 500);
  for (const store of ['redis', 'memcached'] as const) {
    const code = await wechat.issueLoginCode(`oSoak-sweep-${store}`);
    const res = await fetch(`${app.url}/${store}/wechat/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    await res.arrayBuffer();
  }
  const heap = await app.heap();
  traffic.resume();
  return heap;
}

/**
 * The warm-up, how long each fault lasts and the calm after it (ms), and
 * how many faults fit: a short run goes through the cycle once, a long one
 * repeats it until its time is up.
 */
function schedule(config: SoakConfig): { warmupMs: number; faultMs: number; calmMs: number; rounds: number } {
  if (config.seconds <= 60) {
    const warmupMs = 3000;
    const slot = Math.max(1800, (config.seconds * 1000 - warmupMs) / CYCLE.length);
    return { warmupMs, faultMs: Math.round(slot * 0.7), calmMs: Math.round(slot * 0.3), rounds: CYCLE.length };
  }
  const warmupMs = 15_000;
  return { warmupMs, faultMs: 4000, calmMs: 4000, rounds: Math.floor((config.seconds * 1000 - warmupMs) / 8000) };
}

/**
 * A soak run: many users on Redis and on Memcached through the app process,
 * WeChat and the stores failing on a schedule, every answer checked against
 * the error table for the fault active at the time.
 *
 * @example
 * ```ts
 * const report = await runSoak({ seconds: 20, users: 12, thinkMs: [20, 60] });
 * ```
 */
export async function runSoak(config: SoakConfig, say: (line: string) => void = () => undefined): Promise<SoakReport> {
  const dir = makeServerDir();
  const wechat = await startStandInProcess();
  const [redis, memcached] = await Promise.all([startRedis(dir), startMemcached()]);
  const app = await startAppProcess({ appId: wechat.appId, appSecret: wechat.appSecret, wechatUrl: wechat.url, redisUrl: `redis://${redis.address}`, memcachedServers: memcached.address });
  const epochs: Record<StoreName, number> = { redis: 0, memcached: 0 };
  const faults: FaultWindow[] = [];
  const tally = new Tally();
  const users = makeUsers(config.users, {
    baseUrl: app.url,
    wechat,
    epochs,
    sink: (answer) => tally.add(answer, withinTable(answer, faults), faultsDuring(answer, faults).map((f) => `${f.kind}${f.store ? `:${f.store}` : ''}`).join(', ')),
  });
  const audit = new SessionAudit(epochs);
  const traffic = new Traffic(users, config, seeded(Number(process.env.SOAK_SEED ?? 7)));
  const targets: FaultTargets = { wechat, servers: { redis, memcached }, onDataLost: (store) => void (epochs[store] += 1) };
  const byKind: Partial<Record<FaultKind, number>> = {};
  const started = performance.now();
  const { warmupMs, faultMs, calmMs, rounds } = schedule(config);
  try {
    await sleep(warmupMs);
    const heapStart = await settledHeap(app, wechat, traffic);
    const driverLoop = monitorEventLoopDelay({ resolution: 10 });
    driverLoop.enable();
    say(`warm: ${tally.requests} requests, heap ${(heapStart.bytes / 1048576).toFixed(1)} MiB`);
    let reported = 0;
    for (let i = 0; i < rounds; i++) {
      const { kind, store } = CYCLE[i % CYCLE.length]!;
      const snapshot = kind === 'store-stall' || kind === 'store-drop' ? audit.snapshot(users, store) : undefined;
      const window: FaultWindow = { kind, store, start: performance.now() };
      faults.push(window);
      const heal = await inject(kind, store, targets);
      byKind[kind] = (byKind[kind] ?? 0) + 1;
      await sleep(faultMs);
      await heal();
      window.end = performance.now();
      if (snapshot) audit.verifyLater(snapshot, graceMs(kind));
      say(`${Math.round((window.end - started) / 1000)} s: ${kind}${store ? ` on ${store}` : ''} done; ${tally.requests} requests, ${tally.outside} outside the table`);
      for (const sample of tally.samples.slice(reported)) say(`  outside the table: ${sample}`);
      reported = tally.samples.length;
      await sleep(calmMs);
    }
    await audit.done();
    driverLoop.disable();
    await traffic.stop();
    await sleep(graceMs('store-restart'));
    await audit.verify(audit.snapshot(users));
    const heapEnd = await settledHeap(app, wechat, traffic);
    const memoryStore = await app.memoryBound();
    return {
      seconds: Math.round((performance.now() - started) / 1000),
      usersPerStore: config.users,
      requests: tally.requests,
      operations: tally.operations,
      answers: tally.answers,
      faultsInjected: faults.length,
      faultsByKind: byKind,
      outsideTable: tally.outside,
      outsideSamples: tally.samples,
      hangs: tally.hangs,
      overBound: tally.overBound,
      sessionsChecked: audit.checked,
      sessionsLost: audit.lost,
      heap: { startBytes: heapStart.bytes, endBytes: heapEnd.bytes, growthBytes: heapEnd.bytes - heapStart.bytes },
      eventLoop: { app: heapEnd.loop, driver: loopDelay(driverLoop) },
      memoryStore,
      events: heapEnd.events,
      logLines: heapEnd.logLines,
      timeouts: LIBRARY,
    };
  } finally {
    await traffic.stop();
    await wechat.heal().catch(() => undefined);
    await app.stop();
    await wechat.stop();
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}
