import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(__dirname, 'app-process.ts');
const READY_MS = 20_000;

/** One app process (app-process.ts) and how to call it. */
export interface CachingApp {
  url: string;
  pid: number;
  stderr(): string;
  stop(): Promise<void>;
  /** JSON call; `token` goes as a Bearer header. */
  call(method: 'GET' | 'POST', path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Cache hits/misses and store calls so far. */
  stats(): Promise<{ hits: number; misses: number; cached: number; gets: number; writes: number }>;
  /** Move the library's clock forward by `seconds`. */
  advance(seconds: number): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function call(url: string, method: 'GET' | 'POST', token?: string, body?: unknown): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/**
 * Start app-process.ts with `node --import tsx` and `env`; resolves once it
 * listens.
 *
 * @example
 * ```ts
 * const app = await startCachingApp({ WXS_REDIS: process.env.REDIS_URL!, … });
 * ```
 */
export function startCachingApp(env: Record<string, string>): Promise<CachingApp> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4000)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited(child);
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`app process not ready within ${READY_MS} ms: ${err}`));
    }, READY_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app process exited (${code}) before listening: ${err}`));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      const { url } = JSON.parse(line) as { url: string };
      resolve({
        url,
        pid: child.pid!,
        stderr: () => err,
        stop,
        call: (method, path, token, body) => call(url + path, method, token, body),
        stats: async () => (await call(`${url}/__stats`, 'GET')).body,
        advance: async (seconds) => void (await call(`${url}/__clock`, 'POST', undefined, { advance: seconds })),
      });
    });
  });
}
