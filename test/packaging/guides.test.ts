/**
 * The guides' projects as users build them, on today's registry: the packed
 * tarball installed into the testing guide's three set-ups (Node's test
 * runner with tsx and TypeScript 7; Jest with ts-jest and TypeScript 6, as an
 * ES module app and as a CommonJS one). The projects' files are the
 * guides' code blocks (test/docs/fixture-blocks.test.ts keeps them equal).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedVersion, installFixture, packTarball, runOk } from './fixture-projects.js';

const FIXTURE_NAMES = ['testing-node', 'testing-jest-esm', 'testing-jest-cjs'] as const;

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
