import express from 'express';
import type { Server } from 'node:http';
import { memoryStore } from '../../adapters/memory.js';
import {
  decryptPhone,
  getWechatClient,
  requireWechatSession,
  revokeWechatSessions,
  wechatLogout,
  wechatRouter,
  type WechatLogger,
  type WechatSessionOptions,
  type WechatStore,
} from '../../src/index.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { listen } from '../support/harness.js';

/** A store that can be told to fail (rejecting with a message full of secrets) or to stall. */
export interface SwitchableStore extends WechatStore {
  mode: 'ok' | 'fail' | 'stall';
}

function switchable(inner: WechatStore, secret: string): SwitchableStore {
  const guard =
    <A extends unknown[], R>(store: SwitchableStore, fn: (...args: A) => R | PromiseLike<R>) =>
    async (...args: A): Promise<R> => {
      if (store.mode === 'fail') throw new Error(`redis://:${secret}@10.0.0.1 refused ${String(args[0])} ${String(args[1] ?? '')}`);
      if (store.mode === 'stall') return new Promise(() => undefined);
      return fn(...args);
    };
  const store = { mode: 'ok' } as SwitchableStore;
  return Object.assign(store, {
    get: guard(store, inner.get.bind(inner)),
    set: guard(store, inner.set.bind(inner)),
    destroy: guard(store, inner.destroy.bind(inner)),
    replace: guard(store, inner.replace!.bind(inner)),
    touch: guard(store, inner.touch!.bind(inner)),
    add: guard(store, inner.add!.bind(inner)),
    destroyIfEqual: guard(store, inner.destroyIfEqual!.bind(inner)),
  });
}

/** What one full lifecycle run left behind. */
export interface LifecycleRun {
  /** Every secret the run handled: none may appear in anything written. */
  secrets: string[];
  /** Phone numbers the run read: none may appear unmasked. */
  phones: string[];
  /** Every answer body except the login answers (which carry the token by design). */
  bodies: string[];
  /** Every event object the `on` callbacks received, as JSON. */
  events: string[];
  statuses: number[];
}

async function call(url: string, path: string, body: unknown, token?: string, form = false): Promise<{ status: number; text: string; json: any }> {
  const headers: Record<string, string> = { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const init: RequestInit =
    body === undefined
      ? { headers }
      : { method: 'POST', headers, body: form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body) };
  const res = await fetch(url + path, init);
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/**
 * Run every part of a session's life through the router and the
 * middleware with `logger`: logins (JSON, form, legacy userInfo), resolves,
 * a renewal, both phone flows, a session_key mismatch, WeChat failing,
 * the store failing and stalling, a throwing callback, revocation, logout.
 */
export async function runLifecycle(logger: WechatLogger): Promise<LifecycleRun> {
  const wechat: WechatStandIn = await startWechatStandIn();
  let clock = Date.UTC(2026, 0, 1);
  const now = () => clock;
  const store = switchable(memoryStore({ now }), wechat.appSecret);
  const run: LifecycleRun = { secrets: [wechat.appSecret], phones: [], bodies: [], events: [], statuses: [] };
  const record = (e: object) => void run.events.push(JSON.stringify(e));
  const options: WechatSessionOptions = {
    appId: wechat.appId,
    appSecret: wechat.appSecret,
    apiBaseUrl: wechat.url,
    store,
    now,
    logger,
    ttl: 3600,
    renewAfter: 600,
    timeout: 300,
    retries: 1,
    retryDelay: 5,
    storeTimeout: 150,
    singleSession: true,
    on: {
      login: record,
      renew: record,
      logout: record,
      revoke: record,
      sessionKeyMismatch: record,
      upstreamError: record,
      storeError: (e) => {
        record(e);
        throw new Error(`metrics exporter down (${wechat.appSecret})`);
      },
    },
  };
  const app = express();
  app.use('/wechat', wechatRouter(options));
  app.get('/api/me', requireWechatSession(options), (req, res) => res.json({ openid: req.wechat!.openid }));
  app.post('/api/phone', decryptPhone(options), (req, res) => res.json(req.wechat!.phone));
  app.post('/api/logout', wechatLogout(options), (_req, res) => res.status(204).end());
  const { server, url }: { server: Server; url: string } = await listen(app);
  const answer = async (path: string, body: unknown, token?: string, form = false, keep = true) => {
    const res = await call(url, path, body, token, form);
    run.statuses.push(res.status);
    if (keep) run.bodies.push(res.text);
    return res;
  };
  /** wx.login on the phone: a code, and a new session_key (both secrets). */
  const issue = (openid: string) => {
    const code = wechat.issueLoginCode({ openid, unionid: `u-${openid}` });
    run.secrets.push(code, wechat.sessionKeyOf(openid)!);
    return code;
  };
  const login = async (openid: string, legacy?: (openid: string) => Record<string, string>, form = false) => {
    const code = issue(openid);
    const extra = legacy?.(openid) ?? {};
    run.secrets.push(...Object.values(extra).filter((v) => v.length > 16));
    const res = await answer('/wechat/login', { code, ...extra }, undefined, form, false);
    run.secrets.push(res.json.token);
    return res.json.token as string;
  };
  try {
    const a = await login('oAudit1');
    const b = await login('oAudit2', undefined, true);
    issue('oAudit3');
    const info = wechat.encryptUserInfo('oAudit3', { nickName: 'n' });
    run.secrets.push(info.encryptedData, info.iv, info.signature);
    await answer('/wechat/login', { code: issue('oAudit3'), encryptedData: info.encryptedData, iv: info.iv }); // made before this wx.login
    const c = await login('oAudit3');
    const d = await login('oAudit3', (openid) => ({ ...wechat.encryptUserInfo(openid) })); // ends c: single session
    await answer('/api/me', undefined, a);
    clock += 601_000;
    await answer('/wechat/session', undefined, b); // renewal
    const legacyPhone = '13912345678';
    const legacy = wechat.encryptPhone('oAudit1', legacyPhone);
    run.secrets.push(legacy.encryptedData, legacy.iv);
    run.phones.push(legacyPhone);
    await answer('/api/phone', legacy, a);
    const codePhone = '13700001234';
    const phoneCode = wechat.issuePhoneCode('oAudit2', codePhone);
    run.secrets.push(phoneCode);
    run.phones.push(codePhone);
    await answer('/wechat/phone', { code: phoneCode }, b);
    run.secrets.push(await getWechatClient(options).getAccessToken());
    issue('oAudit1');
    const stale = wechat.encryptPhone('oAudit1', legacyPhone);
    run.secrets.push(stale.encryptedData);
    await answer('/api/phone', stale, a); // mismatch
    for (const mode of ['busy', 'garbage', 'hang'] as const) {
      wechat.fail(mode, { api: 'jscode2session' });
      await answer('/wechat/login', { code: issue('oAudit4') });
      wechat.heal();
    }
    await answer('/wechat/session', undefined, `${a.slice(0, 31)}x`);
    store.mode = 'fail';
    await answer('/api/me', undefined, a);
    await answer('/wechat/login', { code: issue('oAudit5') });
    store.mode = 'stall';
    await answer('/wechat/session', undefined, b);
    store.mode = 'ok';
    run.statuses.push(await revokeWechatSessions(options, 'oAudit2'));
    await answer('/api/logout', {}, a);
    await answer('/wechat/logout', {}, d);
    void c;
    return run;
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await wechat.close();
  }
}
