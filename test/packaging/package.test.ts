/**
 * The package as users get it: publint and arethetypeswrong pass on what
 * npm would publish, and the packed tarball, installed into four fresh
 * projects (CommonJS on Express 4 with memcached and no redis, ES modules on
 * Express 5, TypeScript NodeNext on Express 5 with Redis, a Jest project on
 * Express 4, an existing app on today's majors of Express, node-redis,
 * ioredis and connect-redis), logs in against the stand-in through the real
 * middleware.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportTargets, installedVersion, installFixture, packTarball, ROOT, runOk } from './fixture-projects.js';

const FIXTURE_NAMES = ['cjs', 'esm', '.typescript', 'jest', 'existing-app'] as const;
type FixtureName = (typeof FIXTURE_NAMES)[number];

let work: string;
let checkOutput: string;
let tarball: string;
const dirs = {} as Record<FixtureName, string>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'wxs-packaging-'));
  ({ tarball, output: checkOutput } = await packTarball(work));
  const installed = await Promise.all(FIXTURE_NAMES.map((name) => installFixture(name, work, tarball, name === 'existing-app')));
  FIXTURE_NAMES.forEach((name, i) => (dirs[name] = installed[i]!));
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('publint (strict) and arethetypeswrong find no problem', () => {
  expect(checkOutput).toContain('All good!');
  expect(checkOutput).toContain('No problems found');
  expect(checkOutput).not.toMatch(/💀|❌|⚠️|Resolution failed/);
});

test('the tarball holds the builds and nothing else, and every export target', () => {
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((path) => path.replace(/^package\//, ''));
  const stray = files.filter((path) => !/^(dist\/(cjs|esm)\/|miniprogram_dist\/|package\.json$|README\.md$|SECURITY\.md$|LICENSE)/.test(path));
  expect(stray).toEqual([]);
  expect(files.filter((path) => /\.ts$/.test(path) && !/\.d\.ts$/.test(path))).toEqual([]);
  expect(files.some((path) => path.includes('/test/') || path.startsWith('dist/cjs/src/miniprogram/'))).toBe(false);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Parameters<typeof exportTargets>[0];
  for (const target of exportTargets(pkg)) expect(files).toContain(target);
});

test('CommonJS on Express 4 with memcached logs in, with redis not installed', async () => {
  expect(installedVersion(dirs.cjs, 'express')).toMatch(/^4\./);
  const output = await runOk(process.execPath, ['app.js'], dirs.cjs);
  expect(output).toContain('fixture cjs: ok');
}, 30_000);

test('ES modules on Express 5 log in, read the session, decrypt a phone and log out', async () => {
  expect(installedVersion(dirs.esm, 'express')).toMatch(/^5\./);
  const output = await runOk(process.execPath, ['app.js'], dirs.esm);
  expect(output).toContain('fixture esm: ok');
}, 30_000);

test('TypeScript with module NodeNext type-checks, compiles and logs in on Redis; its CommonJS view too', async () => {
  const dir = dirs['.typescript'];
  const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  await Promise.all(['tsconfig.json', 'tsconfig.require.json'].map((project) => runOk(process.execPath, [tsc, '-p', project], dir)));
  expect(await runOk(process.execPath, ['build/main.js'], dir)).toContain('fixture ts: ok');
  expect(await runOk(process.execPath, ['build-require/check.cjs'], dir)).toContain('fixture ts (require): ok');
}, 90_000);

test('a Jest project tests its login against the stand-in', async () => {
  const jest = join(dirs.jest, 'node_modules', 'jest', 'bin', 'jest.js');
  const output = await runOk(process.execPath, [jest, '--ci', '--cacheDirectory', join(work, 'jest-cache')], dirs.jest);
  expect(output).toMatch(/Tests:\s+3 passed, 3 total/);
}, 60_000);

test("an existing app on today's majors adds the package with plain npm install and logs in through node-redis 6, ioredis 6 and connect-redis 11, as ES modules and as CommonJS", async () => {
  const dir = dirs['existing-app'];
  expect(['redis', 'ioredis', 'connect-redis'].map((name) => installedVersion(dir, name).split('.')[0])).toEqual(['6', '6', '11']);
  expect(await runOk(process.execPath, ['app.mjs'], dir)).toContain('fixture existing-app esm: ok');
  expect(await runOk(process.execPath, ['app.cjs'], dir)).toContain('fixture existing-app cjs: ok');
}, 60_000);
