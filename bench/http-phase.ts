/**
 * The HTTP rows: every configuration in server processes of its own
 * (`BENCH_PROCESSES` of them, pinned to the measured core), warmed up, then
 * measured in rounds that go through the configurations in turn (a
 * different order each round, and the next of each configuration's
 * processes). Each run is paired with a run of the bare Express twin that
 * the same process serves (see server-process.ts), one before it and one
 * after in turn. Per run: the
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
  /** The same process's bare twin, in the run paired with each of `cpuMicrosPerRequest`. */
  twinCpuMicrosPerRequest: number[];
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
  /** Which of the row's processes (0-based). */
  index: number;
  server: ChildHandle;
  base: string;
  shape: LoadShape;
  /** The bare twin's request. */
  twin: LoadShape;
  measure: HttpMeasure;
  codesPerSecond: number;
}

/** Seconds of discarded load on each request of a process just before each measured pair. */
const REWARM_SECONDS = 0.3;

/** Codes handed out per second of a login run until the warm-up tells the real rate. */
const FIRST_CODE_RATE = 6000;

/** Process `index` of `row`, sharing `measure` with the row's other processes. */
async function startConfig(row: HttpRow, index: number, measure: HttpMeasure, deps: HttpPhaseDeps): Promise<Live | undefined> {
  let server: ChildHandle | undefined;
  try {
    const profiled = deps.settings.profile.includes(row.name);
    const profile = { cpuProfileDir: deps.profileDir, cpuProfileName: `${row.name}-${index + 1}.cpuprofile` };
    server = await startChild('server-process.ts', [row.name], profiled ? profile : {});
    const info = deps.standIn.info as { url: string; appId: string; appSecret: string };
    // Every process its own user: on a shared Redis, one process's login must not end another's session.
    const openid = `oBench-${row.name}-${index + 1}`;
    const fixture = await deps.standIn.ask<ServerEnv['fixture']>({ type: 'phone', openid });
    const env: ServerEnv = { standIn: info, redisUrl: `redis://127.0.0.1:${deps.redisPort}`, fixture: { ...fixture, openid } };
    const { base, load, twin } = await server.ask<{ base: string; load: LoadShape; twin: LoadShape }>({ type: 'setup', env });
    if (deps.pinning && !pin(server.pid, MEASURED_CORE)) throw new Error('taskset could not pin the server');
    return { row, index, server, base, shape: load, twin, measure, codesPerSecond: FIRST_CODE_RATE };
  } catch (error) {
    await server?.close();
    measure.failed ??= error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return undefined;
  }
}

async function cpuOf(server: ChildHandle): Promise<{ cpuMicros: number; served: number }> {
  return server.ask({ type: 'cpu' });
}

function loadRequest(live: Live, shape: LoadShape, seconds: number, deps: HttpPhaseDeps, codes: string[] | undefined): LoadRequest {
  const { method, path, headers, body } = shape;
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

/** One load run of `shape` against `live`: the server's CPU per request it received, and the load generator's numbers. */
async function loadRun(live: Live, shape: LoadShape, seconds: number, deps: HttpPhaseDeps): Promise<RunNumbers> {
  const codes = shape.codes
    ? await deps.standIn.ask<string[]>({ type: 'codes', count: Math.ceil(seconds * live.codesPerSecond) + 200 })
    : undefined;
  const pids = [...deps.helperPids, live.server.pid];
  const before = await cpuOf(live.server);
  const foreignLoad = startForeignLoad(() => pids);
  const result = await deps.load.ask<LoadResult>({ type: 'run', ...loadRequest(live, shape, seconds, deps, codes) });
  await new Promise((resolve) => setTimeout(resolve, 30)); // let the last answers leave
  const after = await cpuOf(live.server);
  const foreign = foreignLoad.stop();
  if (codes) live.codesPerSecond = Math.max(live.codesPerSecond, Math.ceil((result.responses / result.seconds) * 1.5));
  const served = after.served - before.served;
  return { result, served, foreign, cpu: served > 0 ? (after.cpuMicros - before.cpuMicros) / served : Number.NaN };
}

function logRun(live: Live, what: string, run: RunNumbers, deps: HttpPhaseDeps): void {
  if (!deps.settings.verbose) return;
  deps.log(`${what} ${live.row.name} #${live.index + 1}: ${run.result.rps.toFixed(0)} req/s, ${run.cpu.toFixed(1)} µs CPU/req, ` +
    `${run.result.non2xx + run.result.errors} bad, other processes ${run.foreign.toFixed(0)}% of a core`);
}

/** Warm up `live`: its own request, then its bare twin's (half as long). */
async function warmUp(live: Live, seconds: number, deps: HttpPhaseDeps): Promise<void> {
  logRun(live, 'warm-up', await loadRun(live, live.shape, seconds, deps), deps);
  logRun(live, 'warm-up twin', await loadRun(live, live.twin, seconds / 2, deps), deps);
}

/**
 * One measured pair of runs against `live`: its own request and its bare
 * twin's, in the order `twinFirst` says. Redis rows also count store commands.
 */
async function runPair(live: Live, seconds: number, deps: HttpPhaseDeps, twinFirst: boolean): Promise<void> {
  // A process idle while the others ran starts slow (its memory and caches went cold): a short
  // discarded run of each request first, so that neither run of the pair pays for it.
  const rewarm = Math.min(REWARM_SECONDS, seconds);
  await loadRun(live, live.shape, rewarm, deps);
  await loadRun(live, live.twin, rewarm, deps);
  const before = twinFirst ? await loadRun(live, live.twin, seconds, deps) : undefined;
  const watchRedis = live.row.name.startsWith('ours-redis');
  const callsBefore = watchRedis ? await commandCalls(deps.redisPort) : undefined;
  const run = await loadRun(live, live.shape, seconds, deps);
  if (callsBefore) {
    const delta = commandDelta(callsBefore, await commandCalls(deps.redisPort));
    const c = (live.measure.commands ??= { reads: 0, writes: 0, requests: 0 });
    c.reads += delta.reads;
    c.writes += delta.writes;
    c.requests += run.served;
  }
  const twin = before ?? (await loadRun(live, live.twin, seconds, deps));
  logRun(live, 'run', run, deps);
  logRun(live, 'twin', twin, deps);
  keep(live.measure, run);
  live.measure.twinCpuMicrosPerRequest.push(twin.cpu);
}

/** The configurations' server processes, started and set up, ready to measure. */
export interface StartedConfigurations {
  live: Live[];
  results: Map<string, HttpMeasure>;
}

/**
 * Start (in parallel) and set up `BENCH_PROCESSES` server processes for
 * every row of `rows` (those not in BENCH_ONLY are skipped); a configuration
 * any of whose processes fails is recorded as such, and not measured.
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
  const { processes } = settings;
  deps.log(`starting ${wanted.length * processes} server processes (${processes} per configuration)`);
  const results = new Map<string, HttpMeasure>();
  const starting: Array<Promise<Live | undefined>> = [];
  for (const row of wanted) {
    const measure: HttpMeasure = { name: row.name, rps: [], cpuMicrosPerRequest: [], twinCpuMicrosPerRequest: [], p50: [], foreign: [], non2xx: 0, errors: 0 };
    results.set(row.name, measure);
    for (let index = 0; index < processes; index += 1) starting.push(startConfig(row, index, measure, deps));
  }
  const started = (await Promise.all(starting)).filter((l): l is Live => l !== undefined);
  const failed = [...results.values()].filter((m) => m.failed !== undefined);
  for (const m of failed) deps.log(`${m.name}: not measured (${m.failed})`);
  const live = started.filter((l) => l.measure.failed === undefined);
  await Promise.all(started.filter((l) => l.measure.failed !== undefined).map((l) => l.server.close()));
  return { live, results };
}

/** Warm up every started configuration, then measure them in interleaved rounds; stops their processes. */
export async function measureConfigurations(started: StartedConfigurations, deps: HttpPhaseDeps): Promise<Map<string, HttpMeasure>> {
  const { settings } = deps;
  const { live } = started;
  try {
    if (settings.warmup > 0) for (const l of live) await warmUp(l, settings.warmup, deps);
    deps.log(`warmed up; ${settings.rounds} rounds of ${settings.duration} s per configuration`);
    for (let round = 0; round < settings.rounds; round += 1) {
      // Each round: every configuration once, on the next of its processes.
      const turn = live.filter((l) => l.index === round % settings.processes);
      for (const l of rotate(turn, round)) await runPair(l, settings.duration, deps, round % 2 === 1);
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
