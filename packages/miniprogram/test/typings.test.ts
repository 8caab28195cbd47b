/**
 * The client's sources type-check with tsc against WeChat's
 * miniprogram-api-typings alone: the ES2017 library, WeChat's globals, no
 * Node types (this package's tsconfig.json, the one its build uses). How a
 * TypeScript mini-program uses the built package is checked by the
 * repository's docs tests, on TypeScript 5 and 7.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const PACKAGE = join(__dirname, '..');
const TSC = createRequire(__filename).resolve('typescript/bin/tsc');

function tsc(project: string): string {
  try {
    execFileSync(process.execPath, [TSC, '-p', project, '--noEmit'], { cwd: PACKAGE, encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

describe('mini-program client types', () => {
  it('type-check with WeChat globals only (tsconfig.json)', () => {
    expect(tsc(join(PACKAGE, 'tsconfig.json'))).toBe('');
  });
});
