/**
 * `npm run soak`: a time-bounded run under faults, then a login flood
 * (settings: ./config.ts, soak/README.md). Users on Redis and on Memcached
 * go through the app process while WeChat and the stores fail on a
 * schedule; every answer is checked against the error table for the fault
 * active at the time. Prints a report, then one `SOAK_REPORT {json}` line;
 * exits 1 when a property failed.
 */
import { rmSync } from 'node:fs';
import { startAppProcess, type AppProcess } from '../test/support/app-process.js';
import { makeServerDir, startMemcached, startRedis, stopAll } from '../test/support/servers.js';
import type { MemoryBound } from './app.js';
import { configFromEnv, LIBRARY, type SoakConfig } from './config.js';
import {
  CYCLE,
  faultsDuring,
  graceMs,
  inject,
  standIn,
  withinTable,
  type FaultKind,
  type FaultTargets,
  type FaultWindow,
  type StandIn,
  type StoreName,
} from './faults.js';
import { loginFlood } from './flood.js';
import { failures, formatReport, Tally } from './report.js';
import { SessionAudit, Traffic } from './traffic.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Heap = { bytes: number; events: Record<string, number>; loopMaxMs: number };

/**
 * Heap after GC in a settled app: traffic held, and logins remembered for
 * requests still reading their bodies forgotten (a login on each store
 * sweeps them once `bodyTimeout` has passed).
 */
async function settledHeap(app: AppProcess, wechat: StandIn, traffic: Traffic): Promise<Heap> {
  await traffic.pause();
  await sleep(LIBRARY.bodyTimeout + 500);
  for (const store of ['redis', 'memcached'] as const) {
    await app.call('POST', `/${store}/wechat/login`, undefined, await wechat('login', { openid: `oSoak-sweep-${store}` }));
  }
  const heap = (await app.call('GET', '/__soak/heap')).body as Heap;
  traffic.resume();
  return heap;
}

/** The faults of the schedule, one after the other, with the sessions of a stalled or dropped store audited after each. */
async function faultCycle(
  config: SoakConfig,
  traffic: Traffic,
  audit: SessionAudit,
  faults: FaultWindow[],
  targets: FaultTargets,
  say: (line: string) => void,
) {
  const byKind: Partial<Record<FaultKind, number>> = {};
  for (let i = 0; i < config.rounds; i++) {
    const { kind, store } = CYCLE[i % CYCLE.length]!;
    const snapshot = kind === 'store-stall' || kind === 'store-drop' ? audit.snapshot(traffic.users, store) : undefined;
    const window: FaultWindow = { kind, store, start: performance.now() };
    faults.push(window);
    const heal = await inject(kind, store, targets);
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    await sleep(config.faultMs);
    await heal();
    window.end = performance.now();
    if (snapshot) audit.verifyLater(snapshot, graceMs(kind));
    say(`${kind}${store ? ` on ${store}` : ''} done`);
    await sleep(config.calmMs);
  }
  await Promise.all(audit.pending);
  return byKind;
}

async function runSoak(config: SoakConfig, say: (line: string) => void) {
  const dir = makeServerDir();
  const processes: AppProcess[] = [];
  try {
    const [wechatProcess, redis, memcached] = await Promise.all([startAppProcess('soak/standin.ts'), startRedis(dir), startMemcached()]);
    processes.push(wechatProcess);
    const env = { SOAK_WECHAT_URL: wechatProcess.url, SOAK_REDIS_URL: `redis://${redis.address}`, SOAK_MEMCACHED: memcached.address };
    const app = await startAppProcess('soak/app.ts', { nodeArgs: ['--expose-gc'], env });
    processes.push(app);
    const wechat = standIn(wechatProcess.url);
    const epochs: Record<StoreName, number> = { redis: 0, memcached: 0 };
    const faults: FaultWindow[] = [];
    const tally = new Tally();
    const names = (answer: Parameters<Tally['add']>[0]) =>
      faultsDuring(answer, faults)
        .map((f) => `${f.kind}${f.store ? `:${f.store}` : ''}`)
        .join(', ');
    const traffic = new Traffic(config, { baseUrl: app.url, wechat, epochs, sink: (answer) => tally.add(answer, withinTable(answer, faults), names(answer)) });
    const audit = new SessionAudit(epochs);
    const targets: FaultTargets = { wechat, servers: { redis, memcached }, onDataLost: (store) => void (epochs[store] += 1) };
    const began = performance.now();
    try {
      await sleep(config.warmupMs);
      const heapStart = await settledHeap(app, wechat, traffic);
      const log = (line: string) =>
        say(`${Math.round((performance.now() - began) / 1000)} s: ${line}; ${tally.requests} requests, ${tally.outsideTable} outside the table`);
      const faultsByKind = await faultCycle(config, traffic, audit, faults, targets, log);
      const { loopMaxMs } = (await app.call('GET', '/__soak/heap')).body as Heap;
      await traffic.stop();
      await sleep(graceMs('store-restart'));
      await audit.verify(audit.snapshot(traffic.users));
      say(`login flood: ${config.floodLogins} garbage codes`);
      const flood = await loginFlood(app.url, wechat, config.floodLogins);
      const heapEnd = await settledHeap(app, wechat, traffic);
      return {
        seconds: Math.round((performance.now() - began) / 1000),
        usersPerStore: config.users,
        ...tally,
        faultsInjected: faults.length,
        faultsByKind,
        sessionsChecked: audit.checked,
        sessionsLost: audit.lost,
        heap: { startBytes: heapStart.bytes, endBytes: heapEnd.bytes, growthBytes: heapEnd.bytes - heapStart.bytes },
        appLoopMaxMs: loopMaxMs,
        memoryStore: (await app.call('GET', '/__soak/memory-bound')).body as MemoryBound,
        events: heapEnd.events,
        flood,
        timeouts: LIBRARY,
      };
    } finally {
      await traffic.stop();
      await wechat('heal').catch(() => undefined);
    }
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a run found: printed as JSON on the `SOAK_REPORT` line (fields in soak/README.md). */
export type SoakReport = Awaited<ReturnType<typeof runSoak>>;

runSoak(configFromEnv(CYCLE.length), process.env.SOAK_QUIET === '1' ? () => undefined : (line) => console.log(line)).then(
  (report) => {
    console.log(formatReport(report));
    console.log(`SOAK_REPORT ${JSON.stringify(report)}`);
    const failed = failures(report);
    if (failed.length > 0) console.error(`soak failed: ${failed.join('; ')}`);
    process.exitCode = failed.length > 0 ? 1 : 0;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
