/**
 * The Markdown pages the docs checks read: both READMEs of the repository
 * and of each workspace package, the guides in both languages, and the code
 * blocks they hold.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** A guide's English path under docs/ and its Chinese path under docs/zh-CN/. */
export interface GuidePair {
  name: string;
  en: string;
  zh: string;
}

const markdownIn = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((file) => file.endsWith('.md'))
        .sort()
    : [];

/** Every guide file name found in either language. */
export function guideNames(): string[] {
  return [...new Set([...markdownIn(join(ROOT, 'docs')), ...markdownIn(join(ROOT, 'docs', 'zh-CN'))])].sort();
}

export function guidePairs(): GuidePair[] {
  return guideNames().map((name) => ({ name, en: join(ROOT, 'docs', name), zh: join(ROOT, 'docs', 'zh-CN', name) }));
}

/** The English and Chinese READMEs: the repository's, then each workspace package's (packages/*). */
export function readmePairs(): GuidePair[] {
  const packages = existsSync(join(ROOT, 'packages')) ? readdirSync(join(ROOT, 'packages')).sort() : [];
  return ['.', ...packages.map((name) => join('packages', name))]
    .map((dir) => ({ name: dir, en: join(ROOT, dir, 'README.md'), zh: join(ROOT, dir, 'README.zh-CN.md') }))
    .filter((pair) => existsSync(pair.en));
}

/** Every page whose code blocks are checked: the READMEs and every guide. */
export function pages(): string[] {
  return [...readmePairs(), ...guidePairs()].flatMap((pair) => [pair.en, pair.zh]).filter((path) => existsSync(path));
}

export const read = (path: string): string => readFileSync(path, 'utf8');

/**
 * A fenced code block: its language, its text, the line it starts on, the
 * marker on the line before it, and the fixture files it shows.
 */
export interface CodeBlock {
  lang: string;
  code: string;
  line: number;
  marker: string | undefined;
  /** Files under test/fixtures/packages/ the block is, from `<!-- fixture: dir/file … -->`. */
  fixtures: string[];
}

/**
 * The fenced blocks of a page, with the `<!-- name -->` marker or the
 * `<!-- fixture: dir/file … -->` list on the line before each, if any.
 */
export function codeBlocks(text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    const before = start > 0 ? lines[start - 1] : '';
    const marker = /^<!--\s*([\w-]+)\s*-->\s*$/.exec(before)?.[1];
    const fixtures = /^<!--\s*fixture:\s*(.+?)\s*-->\s*$/.exec(before)?.[1].split(/\s+/) ?? [];
    blocks.push({ lang: open[1], code: body.join('\n'), line: start + 1, marker, fixtures });
  }
  return blocks;
}

/** The text of a page outside its code blocks. */
export function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```\s*$/gm, '');
}
