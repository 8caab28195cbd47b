import { join } from 'node:path';
import { spawnListening, type ListeningProcess } from '../support/spawn-listening.js';

const SCRIPT = join(__dirname, 'app-process.ts');

/** One app process (app-process.ts) and how to call it. */
export interface CachingApp extends ListeningProcess {
  /** JSON call; `token` goes as a Bearer header. */
  call(method: 'GET' | 'POST', path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Cache hits/misses and store calls so far. */
  stats(): Promise<{ hits: number; misses: number; cached: number; gets: number; writes: number }>;
  /** Move the library's clock forward by `seconds`. */
  advance(seconds: number): Promise<void>;
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
export async function startCachingApp(env: Record<string, string>): Promise<CachingApp> {
  const app = await spawnListening(SCRIPT, env);
  const { url } = app;
  return {
    ...app,
    call: (method, path, token, body) => call(url + path, method, token, body),
    stats: async () => (await call(`${url}/__stats`, 'GET')).body,
    advance: async (seconds) => void (await call(`${url}/__clock`, 'POST', undefined, { advance: seconds })),
  };
}
