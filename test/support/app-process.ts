/**
 * Starts a script (an app, an example, the WeChat stand-in) as a Node child
 * process and waits until it prints `listening on <url>`. TypeScript scripts
 * run through tsx. The child gets its own process group, so whatever it
 * starts stops with it; its stdin is a pipe that closes when this process
 * goes, which the scripts in this repository take as the signal to exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { isAbsolute, join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** The configurable app of test/support/app-server.ts. */
export const APP_SERVER = join(__dirname, 'app-server.ts');

/** A script running in its own process. */
export interface AppProcess {
  /** The first URL it printed. */
  url: string;
  /** Every URL printed, in order (an example may start several servers). */
  urls: string[];
  pid: number;
  /** Everything it wrote on stdout and stderr so far. */
  output(): string;
  /** A JSON call to `url + path`; `token` goes as a Bearer header. */
  call(method: 'GET' | 'POST', path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** SIGTERM to its process group, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Its working directory; default the repository root. */
  cwd?: string;
  /** The child's whole environment; default this process's, with `env` added. */
  baseEnv?: NodeJS.ProcessEnv;
  env?: Record<string, string>;
  /** How many `listening on` URLs to wait for. Default 1. */
  urls?: number;
  /** Extra Node flags, e.g. `--expose-gc`. */
  nodeArgs?: string[];
  /** Default 20 s. */
  readyMs?: number;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
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

/**
 * A JSON call: `token` goes as a Bearer header; resolves the status and the
 * parsed body (`undefined` when empty).
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

/** The settings app-server.ts reads to reach a WeChat stand-in. */
export function standInEnv(wechat: { appId: string; appSecret: string; url: string }): Record<string, string> {
  return { WXS_APP_ID: wechat.appId, WXS_APP_SECRET: wechat.appSecret, WXS_API_BASE_URL: wechat.url };
}

/**
 * Start `script` (a path from the repository root, or absolute) with
 * `node [--import tsx]` from the repository root (or `options.cwd`, whose
 * own tsx is then used); resolves once it has
 * printed `options.urls` distinct `listening on <url>` lines, rejects
 * (after stopping it) if it exits first or is not ready in time.
 *
 * @example
 * ```ts
 * const app = await startAppProcess(APP_SERVER, { env: { ...standInEnv(wechat), WXS_STORE: 'redis', WXS_STORE_SERVERS: url } });
 * const { status } = await app.call('GET', '/api/me', token);
 * await app.stop();
 * ```
 */
export function startAppProcess(script: string, options: StartOptions = {}): Promise<AppProcess> {
  const typescript = script.endsWith('.ts');
  const args = [...(typescript ? ['--import', 'tsx'] : []), ...(options.nodeArgs ?? []), isAbsolute(script) ? script : join(ROOT, script)];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...(options.baseEnv ?? process.env), ...options.env },
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const urls: string[] = [];
  const wanted = options.urls ?? 1;
  const readyMs = options.readyMs ?? 20_000;
  const started: AppProcess = {
    url: '',
    urls,
    pid: child.pid!,
    output: () => output,
    call: (method, path, token, body) => callJson(started.url + path, method, token, body),
    stop: () => stopGroup(child),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`was not listening within ${readyMs} ms`), readyMs);
    function fail(why: string): void {
      clearTimeout(timer);
      void stopGroup(child);
      reject(new Error(`${script} ${why}:\n${output}`));
    }
    function read(chunk: Buffer): void {
      output += chunk.toString();
      if (started.url) return;
      for (const match of output.matchAll(/listening on (http:\/\/\S+)/g)) if (!urls.includes(match[1]!)) urls.push(match[1]!);
      if (urls.length >= wanted) {
        clearTimeout(timer);
        started.url = urls[0]!;
        resolve(started);
      }
    }
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => {
      if (!started.url) fail(`exited (${signal ?? code}) before listening`);
    });
  });
}

/**
 * The child side: exit when the parent goes (its end of stdin closes), and
 * on SIGTERM run `close` first.
 *
 * @example
 * ```ts
 * exitWithParent(async () => void (await client.close()));
 * ```
 */
export function exitWithParent(close: () => Promise<void> = async () => undefined): void {
  const exit = () => void close().finally(() => process.exit(0));
  process.stdin.on('end', exit).resume();
  process.once('SIGTERM', exit);
}
