import type { Express } from 'express';

/** What the orchestrator hands every server process. */
export interface ServerEnv {
  standIn: { url: string; appId: string; appSecret: string };
  redisUrl: string;
  /** A fresh user of the stand-in: a login code, its session_key and a phone payload encrypted with it. */
  fixture: { openid: string; code: string; sessionKey: string; encryptedData: string; iv: string };
}

/** The request the load generator repeats against a configuration. */
export interface LoadShape {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Send a fresh login code from the stand-in with each request. */
  codes?: boolean;
}

/** A configuration built in its server process. */
export interface BuiltConfig {
  app: Express;
  /** Called once the app listens on `base`: log in if needed, say what to send. */
  load(base: string): Promise<LoadShape>;
  close(): Promise<void>;
}

/** A well-formed bearer header for routes that ignore it, so every request has the same size. */
export const IGNORED_BEARER = { authorization: `Bearer ${'A'.repeat(32)}` };

/** POST JSON to `url` and parse the answer; throws on a non-2xx status. */
export async function postJson<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ body: T; headers: Headers }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${text.slice(0, 200)}`);
  return { body: JSON.parse(text) as T, headers: res.headers };
}

/**
 * GET `url` with `headers` and require a 2xx whose body holds `expected`
 * (checks a configuration before it is measured).
 */
export async function expectOk(url: string, headers: Record<string, string>, expected: string): Promise<void> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  if (!res.ok || !text.includes(expected)) throw new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 200)}`);
}
