/**
 * The guides' projects as users build them, on today's registry: the packed
 * tarball installed into the testing guide's three set-ups (Node's test
 * runner with tsx and TypeScript 7; Jest with ts-jest and TypeScript 6, as an
 * ES module app and as a CommonJS one) and into the production guide's Redis
 * set-ups, which start while Redis is down. The projects' files are the
 * guides' code blocks (test/docs/fixture-blocks.test.ts keeps them equal).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppProcess } from '../support/app-process.js';
import { freePort } from '../support/ports.js';
import { redisReady, waitUntil } from '../support/probes.js';
import { ManagedServer, requireBinary } from '../support/servers.js';
import { installedVersion, installFixture, packTarball, runOk } from './fixture-projects.js';

const FIXTURE_NAMES = ['testing-node', 'testing-jest-esm', 'testing-jest-cjs', 'production-redis'] as const;

let work: string;
const dirs = {} as Record<(typeof FIXTURE_NAMES)[number], string>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'wxs-guides-'));
  const { tarball } = await packTarball(work);
  const installed = await Promise.all(FIXTURE_NAMES.map((name) => installFixture(name, work, tarball)));
  FIXTURE_NAMES.forEach((name, i) => (dirs[name] = installed[i]!));
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Counts of a `node --test` run, in the TAP reporter (Node 20) or the spec one (Node 23 and later). */
function nodeTestCounts(output: string): { pass: number; fail: number } {
  const count = (what: string) => Number(new RegExp(`^(?:#|ℹ) ${what} (\\d+)$`, 'm').exec(output)?.[1] ?? Number.NaN);
  return { pass: count('pass'), fail: count('fail') };
}

test("Node's test runner with tsx runs the testing guide's tests (one app, several apps, a platform, WeCom), and TypeScript 7 type-checks them", async () => {
  const dir = dirs['testing-node'];
  expect(installedVersion(dir, 'typescript').split('.')[0]).toBe('7');
  await runOk('npm', ['run', 'typecheck'], dir);
  expect(nodeTestCounts(await runOk('npm', ['test'], dir))).toEqual({ pass: 8, fail: 0 });
}, 120_000);

test.each([
  ['testing-jest-esm', '5'],
  ['testing-jest-cjs', '4'],
] as const)(
  "Jest with ts-jest and TypeScript 6 runs the testing guide's Jest test in %s, on Express %s",
  async (name, express) => {
    const dir = dirs[name];
    expect([installedVersion(dir, 'typescript'), installedVersion(dir, 'express')].map((v) => v.split('.')[0])).toEqual(['6', express]);
    await runOk('npm', ['run', 'typecheck'], dir);
    const output = await runOk('npm', ['test', '--', '--ci', '--cacheDirectory', join(work, `jest-cache-${name}`)], dir);
    expect(output).toMatch(/Tests:\s+3 passed, 3 total/);
  },
  120_000,
);

test('the production Redis set-ups type-check', async () => {
  await runOk('npm', ['run', 'typecheck'], dirs['production-redis']);
}, 60_000);

test.each(['node-redis', 'ioredis'])(
  "the production guide's %s set-up starts while Redis is down, answers 503 WECHAT_STORE_UNAVAILABLE, and serves once Redis starts",
  async (client) => {
    const dir = dirs['production-redis'];
    const port = await freePort();
    const redis = new ManagedServer(
      'redis',
      port,
      requireBinary('redis-server'),
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', work],
      redisReady(port),
    );
    const env = { REDIS_CLIENT: client, REDIS_URL: `redis://127.0.0.1:${port}`, WECHAT_APP_ID: 'wx1234567890abcdef', WECHAT_APP_SECRET: 'a'.repeat(32) };
    const app = await startAppProcess(join(dir, 'server.ts'), { cwd: dir, env });
    try {
      const token = randomBytes(24).toString('base64url'); // shaped as a token, so the store is asked
      const down = await fetch(`${app.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('1');
      expect(await down.json()).toMatchObject({ error: { code: 'WECHAT_STORE_UNAVAILABLE' } });
      await redis.start();
      await waitUntil(`${client} to reach Redis`, async () => (await app.call('GET', '/api/me', token)).status !== 503, 20_000, 100);
      expect(await app.call('GET', '/api/me', token)).toMatchObject({ status: 401, body: { error: { code: 'WECHAT_SESSION_INVALID' } } });
    } finally {
      await app.stop();
      await redis.stop();
    }
  },
  60_000,
);
