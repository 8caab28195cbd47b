/**
 * The client's types, checked with tsc against WeChat's miniprogram-api-typings:
 * the source alone (ES2017 library, WeChat's globals only, no Node types), and
 * a TypeScript mini-program page using it with the global `wx` and a
 * `getPhoneNumber` button event (its `@ts-expect-error` lines must all error).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function tsc(project: string): string {
  try {
    execFileSync(process.execPath, [TSC, '-p', project, '--noEmit'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

describe('mini-program client types', () => {
  it('type-check with WeChat globals only (tsconfig.miniprogram.json)', () => {
    expect(tsc('tsconfig.miniprogram.json')).toBe('');
  });

  it('fit the global wx and a getPhoneNumber event in a TypeScript mini-program', () => {
    expect(tsc(join('test', 'fixtures', 'miniprogram-app', 'tsconfig.json'))).toBe('');
  });
});
