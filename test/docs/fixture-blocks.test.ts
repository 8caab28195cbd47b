/**
 * A guide's code block marked `<!-- fixture: dir/file … -->` is a file of a
 * fixture project under test/fixtures/packages/, which
 * test/packaging/guides.test.ts installs beside the packed package and runs:
 * a TypeScript or JavaScript block is each file it names, character for
 * character; a JSON block is part of the package.json it names; an
 * `npm install` line names that package.json's dependencies, at the major it
 * pins. So the guide shows what the suite runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type CodeBlock, codeBlocks, pages, read, ROOT } from './markdown';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'packages');

interface Shown {
  page: string;
  file: string;
  block: CodeBlock;
}

const shown: Shown[] = pages().flatMap((page) =>
  codeBlocks(read(page)).flatMap((block) => block.fixtures.map((file) => ({ page: relative(ROOT, page).split('\\').join('/'), file, block }))),
);

const filesShownOn = (page: string): string[] => [...new Set(shown.filter((s) => s.page === page).map((s) => s.file))].sort();

const TESTING = [
  'testing-jest-cjs/app.test.ts',
  'testing-jest-cjs/app.ts',
  'testing-jest-cjs/jest.config.js',
  'testing-jest-cjs/package.json',
  'testing-jest-cjs/tsconfig.json',
  'testing-jest-esm/app.test.ts',
  'testing-jest-esm/app.ts',
  'testing-jest-esm/jest.config.js',
  'testing-jest-esm/package.json',
  'testing-jest-esm/tsconfig.json',
  'testing-node/app.test.ts',
  'testing-node/app.ts',
  'testing-node/package.json',
  'testing-node/platforms.test.ts',
  'testing-node/tsconfig.json',
];

it('the testing and production guides show every file of their fixture projects, in both languages', () => {
  expect(filesShownOn('docs/testing.md')).toEqual(TESTING);
  expect(filesShownOn('docs/zh-CN/testing.md')).toEqual(TESTING);
  const production = ['production-redis/ioredis.ts', 'production-redis/node-redis.ts'];
  expect(filesShownOn('docs/production.md')).toEqual(production);
  expect(filesShownOn('docs/zh-CN/production.md')).toEqual(production);
});

type Dependencies = Record<string, string>;

/** The packages of the block's `npm install` lines: name and, where pinned (`typescript@6`), the major. */
function installed(code: string): Array<{ name: string; major: string | undefined }> {
  return code
    .split('\n')
    .filter((line) => /^npm (install|i)\b/.test(line))
    .flatMap((line) => line.split(/\s+/).slice(2))
    .filter((word) => !word.startsWith('-'))
    .map((word) => {
      const at = word.lastIndexOf('@');
      return at > 0 ? { name: word.slice(0, at), major: word.slice(at + 1) } : { name: word, major: undefined };
    });
}

it.each(shown.map((s) => [`${s.page}:${s.block.line}`, s.file, s] as const))('%s is %s', (_where, file, { block }) => {
  const path = join(FIXTURES, file);
  expect(existsSync(path)).toBe(true);
  const text = readFileSync(path, 'utf8');
  if (block.lang === 'json') {
    expect(JSON.parse(text)).toMatchObject(JSON.parse(block.code));
  } else if (block.lang === 'bash') {
    const pkg = JSON.parse(text) as { dependencies?: Dependencies; devDependencies?: Dependencies };
    const dependencies = { ...pkg.dependencies, ...pkg.devDependencies };
    const packages = installed(block.code);
    expect(packages.length).toBeGreaterThan(0);
    for (const { name, major } of packages) {
      expect({ name, range: dependencies[name] }).toEqual({ name, range: expect.stringMatching(major ? new RegExp(`^[~^]?${major}\\.`) : /./) });
    }
  } else {
    expect(block.code.trimEnd()).toBe(text.trimEnd());
  }
});
