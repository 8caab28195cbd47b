/**
 * `npm run bench` must keep working: a minimal run (one short round, no
 * warm-up, few sessions) prints every row with a number in it, and the bench
 * sources type-check. No timing is asserted: the numbers of such a run mean
 * nothing; the bench itself is where they are read.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { HTTP_COMPARISONS, HTTP_ROWS, OTHER_CHECKS } from '../../bench/rows.js';
import { cleanEnv, ROOT, runOk } from './fixture-projects.js';

const TINY_RUN = { BENCH_QUICK: '1', BENCH_ROUNDS: '1', BENCH_DURATION: '0.2', BENCH_WARMUP: '0', BENCH_SESSIONS: '1000' };

function runBench(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--require', 'tsx/cjs', join(ROOT, 'bench', 'run.ts')], { cwd: ROOT, env: cleanEnv(TINY_RUN), timeout: 110_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

/** The cells of the Markdown row whose first cell is `label`. */
function rowOf(table: string, label: string): string[] | undefined {
  const line = table.split('\n').find((l) => l.startsWith(`| ${label} `));
  return line?.split('|').slice(1, -1).map((cell) => cell.trim());
}

let bench: { code: number; stdout: string; stderr: string };
let typecheck: Promise<string>;

beforeAll(async () => {
  typecheck = runOk(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'bench/tsconfig.json'], ROOT, 110_000);
  typecheck.catch(() => undefined); // awaited in its own test
  bench = await runBench();
}, 120_000);

test('a tiny bench run exits cleanly', () => {
  if (bench.code !== 0) throw new Error(`bench exited ${bench.code}:\n${bench.stderr.slice(-3000)}`);
  expect(bench.stdout).toContain('### Configurations');
});

test('every configuration was measured: a req/s and a CPU time per request', () => {
  for (const row of HTTP_ROWS) {
    const cells = rowOf(bench.stdout, row.label);
    expect({ label: row.label, cells }).toEqual({ label: row.label, cells: expect.any(Array) });
    expect({ label: row.label, rps: cells![1] }).toEqual({ label: row.label, rps: expect.stringMatching(/^\d+$/) });
    expect({ label: row.label, cpu: cells![2] }).toEqual({ label: row.label, cpu: expect.stringMatching(/^\d+\.\d$/) });
  }
});

test('every comparison row is printed with a measured value and its targets', () => {
  const labels = [...HTTP_COMPARISONS.map((c) => c.label), ...Object.values(OTHER_CHECKS)];
  for (const label of labels) {
    const cells = rowOf(bench.stdout, label);
    expect({ label, cells }).toEqual({ label, cells: expect.any(Array) });
    expect({ label, measured: cells![1] }).toEqual({ label, measured: expect.stringMatching(/^-?\d+(\.\d+)?(×| B| µs)?$/) });
  }
});

test('the bench sources type-check', async () => {
  await expect(typecheck).resolves.toBeDefined();
}, 120_000);
