/**
 * The TypeScript set-up of the mini-program client guide, as a project:
 * test/fixtures/miniprogram-app, whose tsconfig.json is the guide's and whose
 * typings-check.ts imports the client as the guide does, with the packed
 * express-wechat-session-miniprogram and miniprogram-api-typings installed
 * from npm, type-checks on TypeScript 5 (`typescript`) and on TypeScript 7
 * (`typescript7`, npm:typescript@7). Its `@ts-expect-error` lines must all error.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npmInstall, packWorkspace, run } from '../packaging/fixture-projects';
import { codeBlocks, read, ROOT } from './markdown';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'miniprogram-app');
const GUIDES = [join(ROOT, 'docs', 'miniprogram-client.md'), join(ROOT, 'docs', 'zh-CN', 'miniprogram-client.md')];
const COMPILERS = [
  [5, 'typescript'],
  [7, 'typescript7'],
] as const;

let work: string;
let app: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'wxs-mp-typescript-'));
  app = join(work, 'app');
  cpSync(FIXTURE, app, { recursive: true });
  const { devDependencies } = JSON.parse(read(join(ROOT, 'package.json'))) as { devDependencies: Record<string, string> };
  await npmInstall(app, [await packWorkspace('miniprogram', work), `miniprogram-api-typings@${devDependencies['miniprogram-api-typings']}`]);
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the fixture's tsconfig.json is the guide's, in both languages", () => {
  const { compilerOptions } = JSON.parse(readFileSync(join(FIXTURE, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
  const { noEmit, ...options } = compilerOptions;
  expect(noEmit).toBe(true);
  for (const guide of GUIDES) {
    const blocks = codeBlocks(read(guide)).filter((block) => block.lang === 'json');
    expect(blocks.map((block) => JSON.parse(block.code))).toEqual([{ compilerOptions: options }]);
  }
});

test('the fixture imports the client by the name the guide gives', () => {
  const imported = [...read(join(FIXTURE, 'typings-check.ts')).matchAll(/from '([^']+)'/g)].map((m) => m[1]);
  expect(imported).toEqual(['express-wechat-session-miniprogram']);
  for (const guide of GUIDES) expect(read(guide)).toContain("from 'express-wechat-session-miniprogram';");
});

test.each(COMPILERS)(
  'type-checks on TypeScript %i',
  async (major, name) => {
    const tsc = join(ROOT, 'node_modules', name, 'bin', 'tsc');
    expect((await run(process.execPath, [tsc, '--version'], app)).output).toMatch(new RegExp(`^Version ${major}\\.`));
    expect(await run(process.execPath, [tsc, '-p', 'tsconfig.json'], app)).toEqual({ code: 0, output: '' });
  },
  60_000,
);
