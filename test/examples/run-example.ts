/**
 * Starts an example script as a child process (its own process group, so
 * that whatever it starts stops with it) on free ports, and waits until it
 * prints where it listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export interface RunningExample {
  /** The first URL the example printed. */
  url: string;
  /** Every URL printed, in order (two for the two-processes example). */
  urls: string[];
  /** Everything written to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Variables an example reads; set here or removed, so the caller's environment cannot leak in. */
const EXAMPLE_ENV = ['PORT', 'HOST', 'WECHAT_APP_ID', 'WECHAT_APP_SECRET', 'WECHAT_API_BASE_URL', 'LOGIN_RATE_LIMIT'];

/** Fail early with a clear message when the package is not built (examples import it by name). */
export function requireBuild(): void {
  for (const file of ['dist/esm/src/index.js', 'dist/cjs/src/index.js', 'miniprogram_dist/index.js']) {
    if (!existsSync(join(ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
}

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of EXAMPLE_ENV) delete base[name];
  return { ...base, PORT: '0', HOST: '127.0.0.1', ...env };
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => signalGroup(child, 'SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    signalGroup(child, 'SIGTERM');
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
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
  const child = spawn(process.execPath, [join(ROOT, script)], {
    cwd: ROOT,
    env: childEnv(env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const urls: string[] = [];
  const example: RunningExample = { url: '', urls, output: () => output, stop: () => stopGroup(child) };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail('did not start within 15 s'), 15_000);
    function fail(why: string): void {
      clearTimeout(timer);
      void stopGroup(child);
      reject(new Error(`${script} ${why}:\n${output}`));
    }
    function read(chunk: Buffer): void {
      output += chunk.toString();
      for (const match of output.matchAll(/listening on (http:\/\/\S+)/g)) if (!urls.includes(match[1])) urls.push(match[1]);
      if (urls.length >= servers && !example.url) {
        clearTimeout(timer);
        example.url = urls[0];
        resolve(example);
      }
    }
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code, signal) => {
      if (!example.url) fail(`exited (${signal ?? code}) before listening`);
    });
  });
}
