import { join } from 'node:path';
import { callJson, spawnListening, type ListeningProcess } from '../support/spawn-listening.js';

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
    call: (method, path, token, body) => callJson(url + path, method, token, body),
    stats: async () => (await callJson(`${url}/__stats`, 'GET')).body,
    advance: async (seconds) => void (await callJson(`${url}/__clock`, 'POST', undefined, { advance: seconds })),
  };
}
