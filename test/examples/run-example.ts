/**
 * Starts an example script as a child process on free ports (see
 * test/support/app-process.ts), with the variables examples read set here
 * or removed, so the caller's environment cannot leak in.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startAppProcess, type AppProcess } from '../support/app-process.js';

export { ROOT };

/** A running example: the URLs it printed, its output, and how to stop it. */
export type RunningExample = AppProcess;

const EXAMPLE_ENV = ['PORT', 'HOST', 'WECHAT_APP_ID', 'WECHAT_APP_SECRET', 'WECHAT_API_BASE_URL', 'LOGIN_RATE_LIMIT'];

/** Fail early with a clear message when the package is not built (examples import it by name). */
export function requireBuild(): void {
  for (const file of ['dist/esm/src/index.js', 'dist/cjs/src/index.js', 'dist/miniprogram/index.js', 'packages/miniprogram/miniprogram_dist/index.js']) {
    if (!existsSync(join(ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
}

/**
 * Run `node <script>` from the repository root and wait for `servers`
 * "listening on <url>" lines.
 *
 * @example
 * ```ts
 * const app = await startExample('examples/memory/server.mjs', { WECHAT_APP_ID: 'wx…', WECHAT_APP_SECRET: '…' });
 * await fetch(`${app.url}/api/me`);
 * await app.stop();
 * ```
 */
export function startExample(script: string, env: Record<string, string> = {}, servers = 1): Promise<RunningExample> {
  const baseEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of EXAMPLE_ENV) delete baseEnv[name];
  return startAppProcess(script, { baseEnv, env: { PORT: '0', HOST: '127.0.0.1', ...env }, urls: servers, readyMs: 15_000 });
}
