import type { AddressInfo } from 'node:net';
import express from 'express';
import { memoryStore, type MemoryStore } from '../../adapters/memory.js';
import {
  decryptPhone,
  getWechatClient,
  requireWechatSession,
  wechatLogin,
  wechatLogout,
  wechatRouter,
  type WechatSessionOptions,
  type WechatStore,
} from '../../src/index.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { listen, recordingLogger } from '../support/harness.js';

/** Store calls seen through the wrapper, by kind. */
export interface StoreCalls {
  reads: number;
  writes: number;
}

/** A wrapper around a real store that counts every call before passing it on. */
export function countingStore(inner: WechatStore, calls: StoreCalls): WechatStore {
  const read =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A) => ((calls.reads += 1), fn(...args));
  const write =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A) => ((calls.writes += 1), fn(...args));
  return {
    kind: inner.kind,
    get: read(inner.get.bind(inner)),
    set: write(inner.set.bind(inner)),
    destroy: write(inner.destroy.bind(inner)),
    replace: inner.replace && write(inner.replace.bind(inner)),
    touch: inner.touch && write(inner.touch.bind(inner)),
    add: inner.add && write(inner.add.bind(inner)),
    destroyIfEqual: inner.destroyIfEqual && write(inner.destroyIfEqual.bind(inner)),
  };
}

/** One route the hostile tests aim at. */
export interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** The route reads a session token. */
  session: boolean;
  /** The route reads a body. */
  body: boolean;
}

/** Every route of `wechatRouter`, and each middleware mounted alone. */
export const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/wechat/login', session: false, body: true },
  { method: 'POST', path: '/wechat/phone', session: true, body: true },
  { method: 'POST', path: '/wechat/logout', session: true, body: false },
  { method: 'GET', path: '/wechat/session', session: true, body: false },
  { method: 'POST', path: '/alone/login', session: false, body: true },
  { method: 'POST', path: '/alone/require', session: true, body: false },
  { method: 'GET', path: '/alone/require', session: true, body: false },
  { method: 'POST', path: '/alone/phone', session: true, body: true },
  { method: 'POST', path: '/alone/logout', session: true, body: false },
];

export interface Victim {
  openid: string;
  token: string;
}

export interface Target {
  port: number;
  url: string;
  wechat: WechatStandIn;
  options: WechatSessionOptions;
  /** The real memory store under the counting wrapper (reading it is not counted). */
  store: MemoryStore;
  calls: StoreCalls;
  logs: string[];
  victims: Victim[];
  /** Move the injected clock. */
  advance(ms: number): void;
  /** Every key and value the store holds, sorted by key. */
  dump(): Promise<[string, string | undefined][]>;
  close(): Promise<void>;
}

const ok = (_req: express.Request, res: express.Response) => res.json({ ok: true });

function buildApp(options: WechatSessionOptions): express.Express {
  const app = express();
  app.use('/wechat', wechatRouter(options));
  app.post('/alone/login', wechatLogin(options), ok);
  app.all('/alone/require', requireWechatSession(options), ok);
  app.post('/alone/phone', decryptPhone(options), ok);
  app.post('/alone/logout', wechatLogout(options), ok);
  return app;
}

/**
 * The app under attack: the router and each middleware alone over one
 * options object, a memory store behind a call-counting wrapper, an injected
 * clock, a recording logger, and `victims` users logged in.
 */
export async function startTarget(victims = 3, extra: Partial<WechatSessionOptions> = {}): Promise<Target> {
  const wechat = await startWechatStandIn();
  let clock = Date.UTC(2026, 0, 1);
  const now = () => clock;
  const store = memoryStore({ now });
  const calls: StoreCalls = { reads: 0, writes: 0 };
  const logs: string[] = [];
  const options: WechatSessionOptions = {
    appId: wechat.appId,
    appSecret: wechat.appSecret,
    apiBaseUrl: wechat.url,
    store: countingStore(store, calls),
    now,
    ttl: 3600,
    renewAfter: 600,
    timeout: 1000,
    retryDelay: 10,
    bodyTimeout: 1000,
    logger: recordingLogger(logs),
    ...extra,
  };
  const { server, url } = await listen(buildApp(options));
  await getWechatClient(options).getAccessToken(); // cached now: phone lookups write nothing more
  const people: Victim[] = [];
  for (let i = 0; i < victims; i++) {
    const code = wechat.issueLoginCode({ openid: `oVictim${i}` });
    const res = await fetch(`${url}/wechat/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    const body = (await res.json()) as { token: string; openid: string };
    people.push({ openid: body.openid, token: body.token });
  }
  return {
    port: (server.address() as AddressInfo).port,
    url,
    wechat,
    options,
    store,
    calls,
    logs,
    victims: people,
    advance: (ms) => void (clock += ms),
    async dump() {
      const keys = store.keys().sort();
      return Promise.all(keys.map(async (k): Promise<[string, string | undefined]> => [k, (await store.get(k.slice('wxs:'.length))) ?? undefined]));
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await wechat.close();
    },
  };
}
