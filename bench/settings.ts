/**
 * Run settings, from the environment:
 * - `BENCH_QUICK=1`: a short smoke run (about 30 s) with the same rows;
 * - `BENCH_PROCESSES`: server processes per configuration, default 3 (quick 1). The same
 *   code runs a few % faster or slower from one process to the next (JIT and memory layout
 *   luck), so one process per configuration would turn that luck into the ratios;
 * - `BENCH_ROUNDS`: rounds per configuration, each on the next of its processes (median of all
 *   runs taken), default 9 (quick 2);
 * - `BENCH_DURATION`: seconds of load per run, default 1.5 (quick 0.5); every round runs it twice
 *   per configuration: the configuration's own request, and the bare twin's in the same process;
 * - `BENCH_WARMUP`: seconds of discarded load per process before the rounds (0: none), and half as
 *   long on its bare twin, default 1.5 (quick 0.4);
 * - `BENCH_CONNECTIONS`: concurrent keep-alive connections of the load generator, default 10;
 * - `BENCH_SESSIONS`: live sessions for the memory and Redis size rows, default 100000 (quick 10000);
 * - `BENCH_ONLY`: comma-separated configuration names to run (the others print as not run);
 * - `BENCH_VERBOSE=1`: log every load run (req/s, CPU µs per request) to stderr;
 * - `BENCH_PROFILE`: comma-separated configuration names whose server runs with `--cpu-prof`
 *   (profiles written to a temp directory printed at the end; open them in Chrome DevTools).
 */
export interface BenchSettings {
  quick: boolean;
  processes: number;
  rounds: number;
  duration: number;
  warmup: number;
  connections: number;
  sessions: number;
  only: string[] | undefined;
  verbose: boolean;
  profile: string[];
}

function numberFrom(name: string, fallback: number, integer: boolean, zeroAllowed = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !zeroAllowed) || (integer && !Number.isInteger(value))) {
    throw new TypeError(`${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} ${integer ? 'whole ' : ''}number; got '${raw}'`);
  }
  return value;
}

/**
 * Read the settings once at start-up.
 *
 * @example
 * ```ts
 * const settings = readSettings(); // BENCH_QUICK=1 → 2 rounds of 0.5 s
 * ```
 */
export function readSettings(): BenchSettings {
  const quick = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    quick,
    processes: numberFrom('BENCH_PROCESSES', quick ? 1 : 3, true),
    rounds: numberFrom('BENCH_ROUNDS', quick ? 2 : 9, true),
    duration: numberFrom('BENCH_DURATION', quick ? 0.5 : 1.5, false),
    warmup: numberFrom('BENCH_WARMUP', quick ? 0.4 : 1.5, false, true),
    connections: numberFrom('BENCH_CONNECTIONS', 10, true),
    sessions: numberFrom('BENCH_SESSIONS', quick ? 10_000 : 100_000, true),
    only: only && only.length > 0 ? only : undefined,
    verbose: process.env.BENCH_VERBOSE === '1',
    profile: (process.env.BENCH_PROFILE ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  };
}
