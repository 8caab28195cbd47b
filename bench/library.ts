/**
 * The library as the measured processes load it. `npm run bench` compiles
 * it with tsc, as the published package is built (tsconfig.build.json, the
 * CommonJS build), into node_modules/.cache and hands the directory to every
 * process in BENCH_LIBRARY_DIR: the numbers are those of the JavaScript
 * users run. Only without that variable (a bench file run on its own) do the
 * TypeScript sources load through tsx, whose transform wraps every closure
 * in a naming helper and makes per-request code measurably slower; the
 * incumbents (Express, express-session, wafer) are plain JavaScript either way.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LIBRARY_DIR_ENV = 'BENCH_LIBRARY_DIR';

type Core = typeof import('../src/index.js');
type MemoryAdapter = typeof import('../adapters/memory.js');
type RedisAdapter = typeof import('../adapters/redis.js');

function load<T>(compiled: string, source: string): T {
  const dir = process.env[LIBRARY_DIR_ENV];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(dir ? join(dir, compiled) : source) as T;
}

/** The package's main entry (`express-wechat-session`). */
export const library = (): Core => load<Core>('src/index.js', '../src/index.js');
/** `express-wechat-session/adapters/memory`. */
export const memoryAdapter = (): MemoryAdapter => load<MemoryAdapter>('adapters/memory.js', '../adapters/memory.js');
/** `express-wechat-session/adapters/redis`. */
export const redisAdapter = (): RedisAdapter => load<RedisAdapter>('adapters/redis.js', '../adapters/redis.js');

/**
 * Compile the library with tsc (incremental: a second run takes a moment)
 * into `<root>/node_modules/.cache/express-wechat-session-bench`, set
 * BENCH_LIBRARY_DIR for the processes started from now on, and return the
 * directory. Inside node_modules, so the compiled files find the same
 * dependencies as the sources.
 *
 * @example
 * ```ts
 * const dir = compileLibrary(ROOT);
 * ```
 */
export function compileLibrary(root: string): string {
  const dir = join(root, 'node_modules', '.cache', 'express-wechat-session-bench');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', dir, '--incremental', '--tsBuildInfoFile', join(dir, '.tsbuildinfo')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ type: 'commonjs', private: true })}\n`);
  process.env[LIBRARY_DIR_ENV] = dir;
  return dir;
}
