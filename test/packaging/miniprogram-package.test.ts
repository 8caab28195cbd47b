/**
 * The mini-program client's package (packages/miniprogram) as users get it:
 * publint and arethetypeswrong pass on its tarball; installed with a plain
 * `npm install` into a fresh mini-program project it brings nothing else
 * (no express, no lru-cache); miniprogram-ci's packNpm (WeChat DevTools'
 * "Build npm", offline) lays out the client alone, which logs in to the demo
 * server through the wx shim inside a sandbox with no Node globals, as
 * WeChat's JS engine has none.
 */
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import type * as Client from '../../packages/miniprogram/src/index.js';
import { newUser, startDemo, type Demo } from '../support/miniprogram-demo.js';
import { npmInstall, packWorkspace, ROOT, run, runOk } from './fixture-projects.js';

const NAME = 'express-wechat-session-miniprogram';
const FIXTURE = join(ROOT, 'test', 'fixtures', 'miniprogram-app');
const BUILD = join(ROOT, 'packages', 'miniprogram', 'miniprogram_dist');

let work: string;
let tarball: string;
let lint: { publint: string; attw: string };
let app: string;
let built: string;
let demo: Demo;
let warnings: unknown[];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => statSync(join(dir, name)).isFile())
    .sort();
}

/**
 * WeChat DevTools' "Build npm", through miniprogram-ci, in its own process
 * (it logs and keeps handles); resolves with its warnings. It uploads
 * nothing, but its Project wants a key: a throwaway one does.
 */
async function packNpm(): Promise<unknown[]> {
  const key = join(work, 'private.key');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(key, privateKey.export({ type: 'pkcs1', format: 'pem' }));
  const script = `
    const ci = require(${JSON.stringify(join(ROOT, 'node_modules', 'miniprogram-ci'))});
    const [projectPath, privateKeyPath] = process.argv.slice(1);
    const project = new ci.Project({ appid: 'touristappid', type: 'miniProgram', projectPath, privateKeyPath, ignores: ['node_modules/**/*'] });
    ci.packNpm(project, {}).then((warnings) => { console.log(JSON.stringify(warnings)); process.exit(0); },
      (error) => { console.error(error && error.message); process.exit(1); });`;
  const output = (await runOk(process.execPath, ['-e', script, app, key], app, 120_000)).trim().split('\n');
  return JSON.parse(output[output.length - 1]!) as unknown[];
}

/**
 * A CommonJS loader over the built folder that runs every file in a fresh
 * V8 context whose only globals are the language's own and `console`: no
 * `process`, `Buffer`, `require` of Node modules, `fetch` or `window`.
 */
function loadInSandbox(dir: string): typeof Client {
  const context = createContext({ console });
  const cache = new Map<string, { exports: unknown }>();
  const load = (file: string): unknown => {
    const cached = cache.get(file);
    if (cached) return cached.exports;
    const module = { exports: {} as unknown };
    cache.set(file, module);
    const wrapper = runInContext(`(function (exports, require, module) {${readFileSync(file, 'utf8')}\n})`, context, {
      filename: file,
    }) as (exports: unknown, require: (id: string) => unknown, module: { exports: unknown }) => void;
    wrapper(
      module.exports,
      (id) => {
        if (!id.startsWith('./')) throw new Error(`the client requires "${id}", which a mini-program does not have`);
        return load(join(dir, id.endsWith('.js') ? id : `${id}.js`));
      },
      module,
    );
    return module.exports;
  };
  return load(join(dir, 'index.js')) as typeof Client;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'wxs-mp-package-'));
  app = join(work, 'app');
  built = join(app, 'miniprogram_npm', NAME);
  tarball = await packWorkspace('miniprogram', work);
  const [publint, attw] = await Promise.all([
    run('npx', ['--no-install', 'publint', 'run', '--strict', tarball], ROOT),
    run('npx', ['--no-install', 'attw', tarball, '--profile', 'strict', '--format', 'table-flipped', '--no-color'], ROOT),
  ]);
  lint = { publint: `exit ${publint.code}\n${publint.output}`, attw: `exit ${attw.code}\n${attw.output}` };
  cpSync(FIXTURE, app, { recursive: true, filter: (src) => !/typings-check\.ts$|tsconfig\.json$/.test(src) });
  await npmInstall(app, [tarball]);
  demo = await startDemo();
  warnings = await packNpm();
}, 240_000);

afterAll(async () => {
  await demo?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('publint (strict) and arethetypeswrong find no problem', () => {
  expect(lint.publint).toMatch(/^exit 0\n/);
  expect(lint.publint).not.toMatch(/Errors:|Warnings:/);
  expect(lint.attw).toMatch(/^exit 0\n/);
  expect(lint.attw).toContain('No problems found');
});

test('the tarball holds the built client, its package.json and READMEs, and nothing else', async () => {
  const files = (await runOk('tar', ['-tzf', tarball], work))
    .split('\n')
    .filter(Boolean)
    .map((path) => path.replace(/^package\//, ''));
  expect(files.filter((path) => !/^(miniprogram_dist\/|package\.json$|README(\.zh-CN)?\.md$)/.test(path))).toEqual([]);
  expect(files.filter((path) => path.startsWith('miniprogram_dist/')).sort()).toEqual(filesUnder(BUILD).map((name) => `miniprogram_dist/${name}`));
  expect(files).toEqual(expect.arrayContaining(['README.md', 'README.zh-CN.md']));
});

test('a fresh mini-program project that installs it gets the client alone: no express, no lru-cache', () => {
  const installed = readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.'));
  expect(installed).toEqual([NAME]);
  const pkg = JSON.parse(readFileSync(join(app, 'node_modules', NAME, 'package.json'), 'utf8')) as Record<string, unknown>;
  expect([pkg.dependencies, pkg.peerDependencies]).toEqual([undefined, { 'miniprogram-api-typings': '>=3' }]);
});

describe('packNpm of the installed package', () => {
  it(`copies exactly the built client into miniprogram_npm/${NAME}`, () => {
    const expected = filesUnder(BUILD);
    expect(expected).toContain('index.js');
    expect(filesUnder(built)).toEqual(expected);
    expect(warnings).toEqual([]);
  });

  it('holds nothing of the server: only relative requires, no Node built-ins, no other package', () => {
    for (const file of filesUnder(built).filter((name) => name.endsWith('.js'))) {
      const source = readFileSync(join(built, file), 'utf8');
      const required = [...source.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);
      expect(required.filter((id) => !id.startsWith('./'))).toEqual([]);
      expect(source).not.toMatch(/\b(process|Buffer|__dirname|globalThis|window)\b/);
    }
    // "Build npm" also packs every package in `dependencies`, recursively: the client must come alone.
    expect(readdirSync(join(app, 'miniprogram_npm'))).toEqual([NAME]);
  });

  it('loads where there are no Node globals and logs in through the wx shim', async () => {
    const { createMiniProgramClient } = loadInSandbox(built);
    const { openid, wx, sent } = newUser(demo);
    const api = createMiniProgramClient({ wx, baseUrl: demo.url });
    await expect(api.request({ url: '/api/me' })).resolves.toEqual({ openid, unionid: null });
    expect(sent('/wechat/login').map((r) => r.status)).toEqual([200]);
    await expect(api.getPhoneNumber({ errMsg: 'getPhoneNumber:fail user deny' })).rejects.toMatchObject({
      code: 'WECHAT_PERMISSION_DENIED',
    });
    await api.logout();
    expect(sent('/wechat/logout').map((r) => r.status)).toEqual([204]);
    expect(wx.storage.size).toBe(0);
  });
});

test('is importable in Node (tests, bundlers) from require and import', async () => {
  const code = (loader: string) => `${loader}.then((m) => console.log(typeof m.createMiniProgramClient, typeof m.MiniProgramClientError))`;
  const fromRequire = await runOk(process.execPath, ['-e', code(`Promise.resolve(require('${NAME}'))`)], app);
  const fromImport = await runOk(process.execPath, ['--input-type=module', '-e', code(`import('${NAME}')`)], app);
  expect([fromRequire.trim(), fromImport.trim()]).toEqual(['function function', 'function function']);
});
