/**
 * The packed tarball, installed into a mini-program project and built with
 * miniprogram-ci's packNpm (WeChat DevTools' "Build npm", offline): the built
 * miniprogram_npm/express-wechat-session/ holds the client and nothing of the
 * server, and it logs in to the demo server through the wx shim inside a
 * sandbox with no Node globals, as WeChat's JS engine has none.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import type * as Client from '../../src/miniprogram/index.js';
import { newUser, startDemo, type Demo } from './demo.js';

const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'miniprogram-app');

let work: string;
let app: string;
let built: string;
let demo: Demo;
let warnings: unknown[];

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${basename(cmd)} ${args[0] === '-e' ? '-e <script>' : args[0]} failed:\n${stdout ?? ''}${stderr ?? ''}`.slice(0, 4000));
  }
}

function npm(args: string[], cwd: string): string {
  return run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => statSync(join(dir, name)).isFile())
    .sort();
}

/** Pack the repository (client built first) and install the tarball into a copy of the fixture. */
function installPackedTarball(): void {
  run(process.execPath, [join(ROOT, 'scripts', 'build-miniprogram.mjs'), '--quiet'], ROOT);
  const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT)) as { filename: string }[];
  const tarball = join(work, basename(packed[0]!.filename));
  cpSync(FIXTURE, app, { recursive: true, filter: (src) => !/typings-check\.ts$|tsconfig\.json$/.test(src) });
  npm(['install', tarball, '--ignore-scripts', '--omit=peer', '--omit=dev', '--prefer-offline', '--no-package-lock'], app);
}

/**
 * WeChat DevTools' "Build npm", through miniprogram-ci, in its own process
 * (it logs and keeps handles); resolves with its warnings. It uploads
 * nothing, but its Project wants a key: a throwaway one does.
 */
function packNpm(): unknown[] {
  const key = join(work, 'private.key');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(key, privateKey.export({ type: 'pkcs1', format: 'pem' }));
  const script = `
    const ci = require(${JSON.stringify(join(ROOT, 'node_modules', 'miniprogram-ci'))});
    const [projectPath, privateKeyPath] = process.argv.slice(1);
    const project = new ci.Project({ appid: 'touristappid', type: 'miniProgram', projectPath, privateKeyPath, ignores: ['node_modules/**/*'] });
    ci.packNpm(project, {}).then((warnings) => { console.log(JSON.stringify(warnings)); process.exit(0); },
      (error) => { console.error(error && error.message); process.exit(1); });`;
  const output = run(process.execPath, ['-e', script, app, key], app).trim().split('\n');
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
  work = mkdtempSync(join(tmpdir(), 'wxs-packnpm-'));
  app = join(work, 'app');
  built = join(app, 'miniprogram_npm', 'express-wechat-session');
  demo = await startDemo();
  installPackedTarball();
  warnings = packNpm();
}, 180_000);

afterAll(async () => {
  await demo?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('packNpm of the packed tarball', () => {
  it('copies exactly the built client into miniprogram_npm/express-wechat-session', () => {
    const expected = filesUnder(join(ROOT, 'miniprogram_dist'));
    expect(expected).toContain('index.js');
    expect(filesUnder(built)).toEqual(expected);
    expect(warnings).toEqual([]);
  });

  it('holds nothing of the server: only relative requires, no Node built-ins, no server packages', () => {
    for (const file of filesUnder(built).filter((name) => name.endsWith('.js'))) {
      const source = readFileSync(join(built, file), 'utf8');
      const required = [...source.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);
      expect(required.filter((id) => !id.startsWith('./'))).toEqual([]);
      expect(source).not.toMatch(/\b(process|Buffer|__dirname|globalThis|window)\b/);
    }
    // "Build npm" also packs every package in `dependencies`, recursively: the client must come alone.
    expect(readdirSync(join(app, 'miniprogram_npm'))).toEqual(['express-wechat-session']);
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

  it('is importable in Node as express-wechat-session/miniprogram, from require and import', () => {
    const code = (loader: string) => `${loader}.then((m) => console.log(typeof m.createMiniProgramClient, typeof m.MiniProgramClientError))`;
    const fromRequire = run(process.execPath, ['-e', code(`Promise.resolve(require('express-wechat-session/miniprogram'))`)], app);
    const fromImport = run(process.execPath, ['--input-type=module', '-e', code(`import('express-wechat-session/miniprogram')`)], app);
    expect([fromRequire.trim(), fromImport.trim()]).toEqual(['function function', 'function function']);
  });

  it('types the subpath for a TypeScript consumer (NodeNext) with miniprogram-api-typings installed', () => {
    symlinkSync(join(ROOT, 'node_modules', 'miniprogram-api-typings'), join(app, 'node_modules', 'miniprogram-api-typings'));
    writeFileSync(
      join(app, 'consumer.mts'),
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
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(() => run(process.execPath, [tsc, ...options, 'consumer.mts'], app)).not.toThrow();
  });
});
