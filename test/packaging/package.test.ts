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
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

/** The paths in the tarball, without npm's `package/` prefix. */
const tarballFiles = (): string[] =>
  execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((path) => path.replace(/^package\//, ''));

test('the tarball holds the builds and nothing else, and every export target', () => {
  const files = tarballFiles();
  const stray = files.filter((path) => !/^(dist\/(cjs|esm|miniprogram)\/|package\.json$|README\.md$|SECURITY\.md$|LICENSE)/.test(path));
  expect(stray).toEqual([]);
  expect(files.filter((path) => /\.ts$/.test(path) && !/\.d\.ts$/.test(path))).toEqual([]);
  expect(files.some((path) => path.includes('/test/'))).toBe(false);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Parameters<typeof exportTargets>[0];
  for (const target of exportTargets(pkg)) expect(files).toContain(target);
});

test('express-wechat-session/miniprogram is still the client: a copy of its build, from require and import, typed for NodeNext', async () => {
  const client = readdirSync(join(ROOT, 'packages', 'miniprogram', 'miniprogram_dist')).sort();
  expect(
    tarballFiles()
      .filter((path) => path.startsWith('dist/miniprogram/'))
      .sort(),
  ).toEqual(client.map((name) => `dist/miniprogram/${name}`));
  const code = (loader: string) => `${loader}.then((m) => console.log(typeof m.createMiniProgramClient, typeof m.MiniProgramClientError))`;
  const fromRequire = await runOk(process.execPath, ['-e', code(`Promise.resolve(require('express-wechat-session/miniprogram'))`)], dirs.cjs);
  const fromImport = await runOk(process.execPath, ['--input-type=module', '-e', code(`import('express-wechat-session/miniprogram')`)], dirs.cjs);
  expect([fromRequire.trim(), fromImport.trim()]).toEqual(['function function', 'function function']);

  const dir = dirs['.typescript'];
  symlinkSync(join(ROOT, 'node_modules', 'miniprogram-api-typings'), join(dir, 'node_modules', 'miniprogram-api-typings'));
  writeFileSync(
    join(dir, 'miniprogram-consumer.mts'),
    [
      `import { createMiniProgramClient, MiniProgramClientError, type WxLike } from 'express-wechat-session/miniprogram';`,
      `declare const shim: WxLike;`,
      `const api = createMiniProgramClient({ wx: shim, baseUrl: 'http://127.0.0.1:3000' });`,
      `const phone = await api.getPhoneNumber({ errMsg: 'getPhoneNumber:ok', code: 'c' });`,
      `const text: string = phone.countryCode;`,
      `// @ts-expect-error countryCode is a string`,
      `const wrong: number = phone.countryCode;`,
      `// @ts-expect-error the detail always carries errMsg`,
      `void api.getPhoneNumber({ code: 'c' });`,
      `const error = new MiniProgramClientError('WECHAT_PHONE_RETRY', 'tap again', 401);`,
      `export { text, wrong, error };`,
    ].join('\n'),
  );
  // skipLibCheck: miniprogram-api-typings redeclares `console` and some DOM types, as in any project using it.
  const options = ['--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'];
  await runOk(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), ...options, 'miniprogram-consumer.mts'], dir);
}, 60_000);

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
