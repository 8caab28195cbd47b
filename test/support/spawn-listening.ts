import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const READY_MS = 20_000;

/** A test app running in its own Node process. */
export interface ListeningProcess {
  url: string;
  pid: number;
  /** What it wrote on stderr, for failure messages. */
  stderr(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 3 s. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Start `script` with `node --import tsx` and `env` added to this process's
 * environment; resolves once it prints a JSON line with the URL it listens
 * on, rejects if it exits first or is not ready within 20 s.
 *
 * @example
 * ```ts
 * const app = await spawnListening(join(__dirname, 'app-process.ts'), { WXS_STORE: 'memory' });
 * ```
 */
export function spawnListening(script: string, env: Record<string, string>): Promise<ListeningProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
      resolve({ url, pid: child.pid!, stderr: () => err, stop });
    });
  });
}

/**
 * A JSON call to an app process: `token` goes as a Bearer header; resolves
 * the status and the parsed body (`undefined` when empty).
 *
 * @example
 * ```ts
 * const { status, body } = await callJson(`${app.url}/api/me`, 'GET', token);
 * ```
 */
export async function callJson(url: string, method: 'GET' | 'POST', token?: string, body?: unknown): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** The settings every app process reads to reach the WeChat stand-in (see child-app.ts). */
export function standInEnv(wechat: { appId: string; appSecret: string; url: string }): Record<string, string> {
  return { WXS_APP_ID: wechat.appId, WXS_APP_SECRET: wechat.appSecret, WXS_API_BASE_URL: wechat.url };
}
