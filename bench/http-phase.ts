/**
 * The HTTP rows: every configuration in its own server process (pinned to
 * the measured core), warmed up, then measured in rounds that go through the
 * configurations in turn (a different order each round). Per run: the
 * server's CPU time (process.cpuUsage() just before and after) divided by
 * the requests it received, and req/s from the load generator.
 */
import type { LoadShape, ServerEnv } from './apps/index.js';
import { MEASURED_CORE, pin, startChild, type ChildHandle } from './child.js';
import type { LoadRequest, LoadResult } from './load-process.js';
import { startForeignLoad } from './machine-load.js';
import { commandCalls, commandDelta } from './redis-stats.js';
import type { HttpRow } from './rows.js';
import type { BenchSettings } from './settings.js';
import { rotate } from './stats.js';

/** Everything measured for one configuration. */
export interface HttpMeasure {
  name: string;
  rps: number[];
  cpuMicrosPerRequest: number[];
  p50: number[];
  /** CPU used by processes outside the bench during each run, % of one core. */
  foreign: number[];
  /** Answers that were not 2xx, and connection errors/timeouts, over every measured run. */
  non2xx: number;
  errors: number;
  /** Store reads and writes per received request, Redis rows only. */
  commands?: { reads: number; writes: number; requests: number };
  /** Why the configuration could not be measured. */
  failed?: string;
}

export interface HttpPhaseDeps {
  settings: BenchSettings;
  standIn: ChildHandle;
  load: ChildHandle;
  redisPort: number;
  pinning: boolean;
  /** The bench's own processes besides the servers (this one, helpers, redis-server). */
  helperPids: readonly number[];
  /** Where servers named in BENCH_PROFILE write their CPU profiles. */
  profileDir: string;
  log(line: string): void;
}

interface Live {
  row: HttpRow;
  server: ChildHandle;
  base: string;
  shape: LoadShape;
  measure: HttpMeasure;
  codesPerSecond: number;
}

/** Codes handed out per second of a login run until the warm-up tells the real rate. */
const FIRST_CODE_RATE = 6000;

async function startConfig(row: HttpRow, deps: HttpPhaseDeps): Promise<Live | HttpMeasure> {
  const measure: HttpMeasure = { name: row.name, rps: [], cpuMicrosPerRequest: [], p50: [], foreign: [], non2xx: 0, errors: 0 };
  let server: ChildHandle | undefined;
  try {
    const profiled = deps.settings.profile.includes(row.name);
    const profile = { cpuProfileDir: deps.profileDir, cpuProfileName: `${row.name}.cpuprofile` };
    server = await startChild('server-process.ts', [row.name], profiled ? profile : {});
    const info = deps.standIn.info as { url: string; appId: string; appSecret: string };
    const fixture = await deps.standIn.ask<ServerEnv['fixture']>({ type: 'phone', openid: `oBench-${row.name}` });
    const env: ServerEnv = { standIn: info, redisUrl: `redis://127.0.0.1:${deps.redisPort}`, fixture: { ...fixture, openid: `oBench-${row.name}` } };
    const { base, load } = await server.ask<{ base: string; load: LoadShape }>({ type: 'setup', env });
    if (deps.pinning && !pin(server.pid, MEASURED_CORE)) throw new Error('taskset could not pin the server');
    return { row, server, base, shape: load, measure, codesPerSecond: FIRST_CODE_RATE };
  } catch (error) {
    await server?.close();
    measure.failed = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return measure;
  }
}

async function cpuOf(server: ChildHandle): Promise<{ cpuMicros: number; served: number }> {
  return server.ask({ type: 'cpu' });
}

function loadRequest(live: Live, seconds: number, deps: HttpPhaseDeps, codes: string[] | undefined): LoadRequest {
  const { method, path, headers, body } = live.shape;
  return { url: live.base, method, path, headers, duration: seconds, connections: deps.settings.connections,
    ...(body !== undefined && { body }), ...(codes && { codes }) };
}

interface RunNumbers {
  result: LoadResult;
  cpu: number;
  served: number;
  foreign: number;
}

function keep(m: HttpMeasure, run: RunNumbers): void {
  m.rps.push(run.result.rps);
  m.cpuMicrosPerRequest.push(run.cpu);
  m.p50.push(run.result.p50);
  m.foreign.push(run.foreign);
  m.non2xx += run.result.non2xx;
  m.errors += run.result.errors;
}

/** One load run against `live`: the server's CPU per request it received, and the load generator's numbers. */
async function loadRun(live: Live, seconds: number, deps: HttpPhaseDeps): Promise<RunNumbers> {
  const codes = live.shape.codes
    ? await deps.standIn.ask<string[]>({ type: 'codes', count: Math.ceil(seconds * live.codesPerSecond) + 200 })
    : undefined;
  const pids = [...deps.helperPids, live.server.pid];
  const before = await cpuOf(live.server);
  const foreignLoad = startForeignLoad(() => pids);
  const result = await deps.load.ask<LoadResult>({ type: 'run', ...loadRequest(live, seconds, deps, codes) });
  await new Promise((resolve) => setTimeout(resolve, 30)); // let the last answers leave
  const after = await cpuOf(live.server);
  const foreign = foreignLoad.stop();
  if (codes) live.codesPerSecond = Math.max(live.codesPerSecond, Math.ceil((result.responses / result.seconds) * 1.5));
  const served = after.served - before.served;
  return { result, served, foreign, cpu: served > 0 ? (after.cpuMicros - before.cpuMicros) / served : Number.NaN };
}

/** One load run against `live`; `record` false for the warm-up. Redis rows also count store commands. */
async function runOnce(live: Live, seconds: number, deps: HttpPhaseDeps, record: boolean): Promise<void> {
  const watchRedis = record && live.row.name.startsWith('ours-redis');
  const callsBefore = watchRedis ? await commandCalls(deps.redisPort) : undefined;
  const run = await loadRun(live, seconds, deps);
  if (deps.settings.verbose) {
    deps.log(`${record ? 'run' : 'warm-up'} ${live.row.name}: ${run.result.rps.toFixed(0)} req/s, ${run.cpu.toFixed(1)} µs CPU/req, ` +
      `${run.result.non2xx + run.result.errors} bad, other processes ${run.foreign.toFixed(0)}% of a core`);
  }
  if (!record) return;
  keep(live.measure, run);
  if (callsBefore) {
    const delta = commandDelta(callsBefore, await commandCalls(deps.redisPort));
    const c = (live.measure.commands ??= { reads: 0, writes: 0, requests: 0 });
    c.reads += delta.reads;
    c.writes += delta.writes;
    c.requests += run.served;
  }
}

/** The configurations' server processes, started and set up, ready to measure. */
export interface StartedConfigurations {
  live: Live[];
  results: Map<string, HttpMeasure>;
}

/**
 * Start (in parallel) and set up a server process for every row of `rows`
 * (those not in BENCH_ONLY are skipped); a configuration that fails is
 * recorded as such.
 *
 * @example
 * ```ts
 * const started = await startConfigurations(HTTP_ROWS, deps);
 * const measures = await measureConfigurations(started, deps);
 * ```
 */
export async function startConfigurations(rows: readonly HttpRow[], deps: HttpPhaseDeps): Promise<StartedConfigurations> {
  const { settings } = deps;
  const wanted = rows.filter((row) => !settings.only || settings.only.includes(row.name));
  deps.log(`starting ${wanted.length} server processes`);
  const started = await Promise.all(wanted.map((row) => startConfig(row, deps)));
  const results = new Map<string, HttpMeasure>();
  for (const s of started) results.set('server' in s ? s.row.name : s.name, 'server' in s ? s.measure : s);
  for (const failed of started.filter((s): s is HttpMeasure => !('server' in s))) deps.log(`${failed.name}: not measured (${failed.failed})`);
  return { live: started.filter((s): s is Live => 'server' in s), results };
}

/** Warm up every started configuration, then measure them in interleaved rounds; stops their processes. */
export async function measureConfigurations(started: StartedConfigurations, deps: HttpPhaseDeps): Promise<Map<string, HttpMeasure>> {
  const { settings } = deps;
  const { live } = started;
  try {
    if (settings.warmup > 0) for (const l of live) await runOnce(l, settings.warmup, deps, false);
    deps.log(`warmed up; ${settings.rounds} rounds of ${settings.duration} s per configuration`);
    for (let round = 0; round < settings.rounds; round += 1) {
      for (const l of rotate(live, round)) await runOnce(l, settings.duration, deps, true);
      deps.log(`round ${round + 1}/${settings.rounds} done`);
    }
  } finally {
    await stopConfigurations(started);
  }
  return started.results;
}

/** Stop every started server process. */
export async function stopConfigurations(started: StartedConfigurations): Promise<void> {
  await Promise.all(started.live.map((l) => l.server.close()));
}
