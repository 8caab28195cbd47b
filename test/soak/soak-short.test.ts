import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { SoakReport } from '../../soak/main.js';

/**
 * A short run of `npm run soak` (20 s of traffic): users on Redis and on
 * Memcached while WeChat is busy, slow, garbled and hanging and the stores
 * stall, drop their connections and restart. Every answer must be a 2xx or
 * the error for the fault of the moment, within the timeouts; no session
 * the store kept may be lost; the heap must stay flat. Then a login flood
 * of garbage codes while WeChat is slow: each one refused, and the app's
 * CPU per login no higher at the end of the flood than twice the start.
 */

const ROOT = join(__dirname, '..', '..');
const SECONDS = Number(process.env.SOAK_SHORT_SECONDS ?? 20);

function runSoak(): Promise<{ code: number | null; report: SoakReport; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('soak', 'main.ts')], {
      cwd: ROOT,
      env: { ...process.env, SOAK_SECONDS: String(SECONDS), SOAK_QUIET: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('SOAK_REPORT '));
      if (!line) return reject(new Error(`the soak printed no report (exit ${code}):\n${output.slice(-3000)}`));
      resolve({ code, report: JSON.parse(line.slice('SOAK_REPORT '.length)) as SoakReport, output });
    });
  });
}

let run: { code: number | null; report: SoakReport; output: string };

beforeAll(async () => {
  run = await runSoak();
  if (process.env.WXS_TEST_VERBOSE)
    console.log(
      run.output
        .split('\n')
        .filter((l) => !l.startsWith('SOAK_REPORT'))
        .join('\n'),
    );
}, 150_000);

it('injects every kind of fault while many users log in, resolve, look up phones and log out', () => {
  const { report } = run;
  expect(report.requests).toBeGreaterThan(1000);
  for (const op of Object.values(report.operations)) expect(op.ok).toBeGreaterThan(10);
  expect(Object.keys(report.faultsByKind).sort()).toEqual([
    'store-drop',
    'store-restart',
    'store-stall',
    'wechat-busy',
    'wechat-garbage',
    'wechat-hang',
    'wechat-slow',
  ]);
  const statuses = Object.keys(report.answers).map((k) => k.split(' ')[2]);
  expect(statuses).toEqual(expect.arrayContaining(['502', '503', '504']));
  expect(report.events).toEqual(
    expect.objectContaining({ login: expect.any(Number), renew: expect.any(Number), storeError: expect.any(Number), upstreamError: expect.any(Number) }),
  );
});

it("answers every request with a 2xx or the error table's status for the fault of the moment, within the timeouts", () => {
  const { report } = run;
  expect(report.outsideSamples).toEqual([]);
  expect(report.outsideTable).toBe(0);
  expect(report.hangs).toBe(0);
  expect(report.overBound).toBe(0);
  for (const op of Object.values(report.operations)) expect(op.maxMs).toBeLessThanOrEqual(op.boundMs);
});

it('loses no session across stalls and dropped connections', () => {
  expect(run.report.sessionsChecked).toBeGreaterThan(5);
  expect(run.report.sessionsLost).toBe(0);
});

it('refuses every login of a flood of garbage codes, and spends no more CPU per login at its end than twice its start', () => {
  const { flood } = run.report;
  expect(flood.answers).toEqual({ '401 WECHAT_CODE_INVALID': flood.logins });
  expect(flood.maxMs).toBeLessThanOrEqual(flood.boundMs);
  expect(flood.cpuPerLoginStart).toBeGreaterThan(0);
  expect(flood.cpuPerLoginEnd).toBeLessThanOrEqual(2 * flood.cpuPerLoginStart);
});

it('keeps the heap flat, and the memory store at its bound within its documented memory', () => {
  const { heap, memoryStore } = run.report;
  expect(heap.growthBytes).toBeLessThan(8 * 1024 * 1024);
  expect(memoryStore.defaults.kept).toBe(100_000);
  expect(memoryStore.withinDocumented).toBe(true);
  expect(memoryStore.byBytes.kept).toBeLessThan(memoryStore.byBytes.written);
  expect(run.code).toBe(0);
});
