/**
 * Every TypeScript and JavaScript block of the READMEs and the guides is
 * type-checked against the packages' sources, in one `tsc` run:
 * `express-wechat-session` and its subpaths are mapped to `src/` and
 * `adapters/`, `express-wechat-session-miniprogram` to
 * `packages/miniprogram/src/`, by a generated tsconfig. A block marked
 * `<!-- fragment -->` on the line before it is skipped; one marked
 * `<!-- fixture: … -->` is a file of a fixture project, compiled and run
 * there instead. The Chinese pages carry the same samples as the English ones.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { type CodeBlock, codeBlocks, guidePairs, pages, read, readmePairs, ROOT } from './markdown';

const CHECKED = new Set(['ts', 'typescript', 'js', 'javascript']);
const OUT = join(ROOT, '.tmp', 'docs-blocks');

/** Blocks that are fixture files compile and run in their own projects (test/packaging/guides.test.ts). */
const checked = (block: CodeBlock) => CHECKED.has(block.lang) && block.marker !== 'fragment' && block.fixtures.length === 0;

const to = (path: string) => relative(OUT, path).split('\\').join('/');

function tsconfig(files: string[]): object {
  return {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      module: 'preserve',
      moduleResolution: 'bundler',
      moduleDetection: 'force',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      allowJs: true,
      checkJs: true,
      esModuleInterop: true,
      types: ['node', 'jest'],
      typeRoots: [to(join(ROOT, 'node_modules', '@types'))],
      paths: {
        'express-wechat-session': [to(join(ROOT, 'src', 'index.ts'))],
        'express-wechat-session/client': [to(join(ROOT, 'src', 'client', 'index.ts'))],
        'express-wechat-session/crypto': [to(join(ROOT, 'src', 'crypto', 'index.ts'))],
        'express-wechat-session/testing': [to(join(ROOT, 'src', 'testing', 'index.ts'))],
        'express-wechat-session/miniprogram': [to(join(ROOT, 'packages', 'miniprogram', 'src', 'index.ts'))],
        'express-wechat-session-miniprogram': [to(join(ROOT, 'packages', 'miniprogram', 'src', 'index.ts'))],
        'express-wechat-session/adapters/*': [to(join(ROOT, 'adapters', '*.ts'))],
      },
    },
    files: [...files, 'globals.d.ts'],
  };
}

/** What mini-program blocks may use besides the client: the `wx` global and `Page`. */
const GLOBALS = `/// <reference types="miniprogram-api-typings" />
export {};
`;

describe('code samples', () => {
  it('type-check against the sources', () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const files: string[] = [];
    const origin = new Map<string, string>();
    for (const page of pages()) {
      const name = relative(ROOT, page).replace(/[\\/]/g, '_').replace(/\.md$/, '');
      for (const block of codeBlocks(read(page)).filter(checked)) {
        const file = `${name}_L${block.line}.${block.lang.startsWith('t') ? 'ts' : 'js'}`;
        writeFileSync(join(OUT, file), `${block.code}\n`);
        files.push(file);
        origin.set(file, `${relative(ROOT, page)}:${block.line}`);
      }
    }
    expect(files.length).toBeGreaterThan(5);
    writeFileSync(join(OUT, 'globals.d.ts'), GLOBALS);
    writeFileSync(join(OUT, 'tsconfig.json'), JSON.stringify(tsconfig(files), null, 2));
    let output = '';
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(OUT, 'tsconfig.json')], {
        encoding: 'utf8',
        cwd: OUT,
      });
    } catch (err) {
      output = String((err as { stdout?: string }).stdout ?? err);
    }
    // Name each failure by the page and line its block starts on.
    const failures = output
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const file = /^([^(]+)\(/.exec(line)?.[1];
        return file && origin.has(basename(file)) ? `${origin.get(basename(file))} → ${line}` : line;
      });
    expect(failures).toEqual([]);
  }, 120_000);

  it.each(guidePairs().map((pair) => [pair.name, pair] as const))('are the same in both languages: %s', (_name, pair) => {
    const samples = (path: string) =>
      codeBlocks(read(path))
        .filter((block) => CHECKED.has(block.lang))
        .map((block) => block.code);
    expect(samples(pair.zh)).toEqual(samples(pair.en));
  });

  it.each(readmePairs().map((pair) => [pair.name, pair] as const))('are the same in both READMEs: %s', (_name, pair) => {
    const samples = (path: string) =>
      codeBlocks(read(path))
        .filter((block) => CHECKED.has(block.lang))
        .map((block) => block.code);
    expect(samples(pair.zh)).toEqual(samples(pair.en));
  });
});
