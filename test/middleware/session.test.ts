import express from 'express';
import { memoryStore } from '../../adapters/memory.js';
import { requireWechatSession, revokeWechatSessions, type WechatStore } from '../../src/index.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { listen, startHarness, type Harness } from '../support/harness.js';

let wechat: WechatStandIn;
let clock: number;
let h: Harness;
const now = () => clock;

beforeAll(async () => {
  wechat = await startWechatStandIn();
});
afterAll(() => wechat.close());
beforeEach(async () => {
  clock = Date.UTC(2026, 0, 1);
  h = await startHarness({ now, ttl: 3600, renewAfter: 600, store: memoryStore({ now }) }, wechat);
});
afterEach(() => h.close());

describe('requireWechatSession', () => {
  it('answers 401 WECHAT_SESSION_REQUIRED without a token', async () => {
    const res = await h.get('/api/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_SESSION_REQUIRED');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('accepts the token as a Bearer token and in X-WX-Session', async () => {
    const { token, openid } = await h.login();
    expect((await h.get('/api/me', token)).body.openid).toBe(openid);
    expect((await h.get('/api/me', undefined, { 'x-wx-session': token })).body.openid).toBe(openid);
    expect((await h.get('/api/me', token, { 'x-wx-session': token })).status).toBe(200);
  });

  it.each([
    ['an unknown well-shaped token', 'A'.repeat(32)],
    ['a short token', 'abc'],
    ['a token with a bad alphabet', '*'.repeat(32)],
  ])('answers 401 WECHAT_SESSION_INVALID for %s', async (_what, token) => {
    const res = await h.get('/api/me', token);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_SESSION_INVALID');
  });

  it('resolves only the exact token, not a prefix, suffix or garbled copy', async () => {
    const { token } = await h.login();
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const bad of [token.slice(1), `${token}x`, `x${token}`, flipped, token.toLowerCase() === token ? token.toUpperCase() : token.toLowerCase()]) {
      expect((await h.get('/api/me', bad)).body.error.code).toBe('WECHAT_SESSION_INVALID');
    }
    expect((await h.get('/api/me', token)).status).toBe(200);
  });

  it('refuses two different tokens in one request', async () => {
    const a = await h.login();
    const b = await h.login();
    const res = await h.get('/api/me', a.token, { 'x-wx-session': b.token });
    expect(res.body.error.code).toBe('WECHAT_SESSION_INVALID');
  });

  it('expires a session after ttl seconds without use', async () => {
    const { token } = await h.login();
    clock += 3599_000;
    expect((await h.get('/api/me', token)).status).toBe(200);
    clock += 3600_000;
    const res = await h.get('/api/me', token);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_SESSION_INVALID');
  });

  it('renews a used session, at most once per renewAfter', async () => {
    const writes: string[] = [];
    const inner = memoryStore({ now });
    const counting: WechatStore = {
      ...inner,
      get: (k) => inner.get(k),
      set: (k, v, t) => {
        writes.push(k);
        return inner.set(k, v, t);
      },
      replace: (k, v, t) => {
        writes.push(k);
        return inner.replace!(k, v, t);
      },
      destroy: (k) => inner.destroy(k),
      touch: (k, t) => inner.touch!(k, t),
    };
    const app = await startHarness({ now, ttl: 3600, renewAfter: 600, store: counting }, wechat);
    try {
      const { token } = await app.login();
      writes.length = 0;
      for (let i = 0; i < 5; i++) {
        clock += 60_000;
        expect((await app.get('/api/me', token)).status).toBe(200);
      }
      expect(writes).toHaveLength(0);
      clock += 300_000; // 10 minutes since login: renewal due
      expect((await app.get('/api/me', token)).status).toBe(200);
      expect(writes.filter((k) => k.includes(':s:'))).toHaveLength(1);
      clock += 3500_000; // within ttl of the renewal, past ttl of the login
      expect((await app.get('/api/me', token)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('keeps app fields on the session across requests', async () => {
    const { token } = await h.login();
    expect((await h.post('/api/data', { userId: 42 }, token)).body).toEqual({ userId: 42 });
    expect((await h.get('/api/me', token)).body.data).toEqual({ userId: 42 });
  });
});

describe('revocation', () => {
  it('logs out the current session only', async () => {
    const a = await h.login({ openid: 'oLogout' });
    const res = await h.post('/wechat/logout', {}, a.token);
    expect(res.status).toBe(204);
    expect((await h.get('/api/me', a.token)).body.error.code).toBe('WECHAT_SESSION_INVALID');
    expect((await h.post('/wechat/logout', {}, a.token)).body.error.code).toBe('WECHAT_SESSION_INVALID');
  });

  it('ends the earlier session of an openid on a new login', async () => {
    const first = await h.login({ openid: 'oTwice' });
    const second = await h.login({ openid: 'oTwice' });
    expect((await h.get('/api/me', first.token)).status).toBe(401);
    expect((await h.get('/api/me', second.token)).status).toBe(200);
  });

  it('keeps one session per openid even when its logins race', async () => {
    // A store 30 ms away, like a busy network one: without a lock every login reads the index before any writes it.
    const inner = memoryStore();
    const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 30));
    const slow: WechatStore = {
      get: (k) => later(inner.get(k)),
      set: (k, v, t) => later(inner.set(k, v, t)),
      destroy: (k) => later(inner.destroy(k)),
      add: (k, v, t) => later(inner.add!(k, v, t)),
      destroyIfEqual: (k, v) => later(inner.destroyIfEqual!(k, v)),
    };
    const app = await startHarness({ store: slow }, wechat);
    try {
      const codes = Array.from({ length: 5 }, () => wechat.issueLoginCode({ openid: 'oRace' }));
      const logins = await Promise.all(codes.map((code) => app.post('/wechat/login', { code })));
      expect(logins.map((l) => l.status)).toEqual(Array(5).fill(200));
      const statuses = await Promise.all(logins.map(async (l) => (await app.get('/api/me', l.body.token)).status));
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('keeps several sessions with singleSession off, and revokes them all at once', async () => {
    const multi = await startHarness({ now, singleSession: false, maxSessionsPerUser: 3 }, wechat);
    try {
      const tokens = [];
      for (let i = 0; i < 4; i++) tokens.push((await multi.login({ openid: 'oMany' })).token);
      const statuses = await Promise.all(tokens.map(async (t) => (await multi.get('/api/me', t)).status));
      expect(statuses).toEqual([401, 200, 200, 200]);
      expect(await revokeWechatSessions(multi.options, 'oMany')).toBe(3);
      for (const t of tokens) expect((await multi.get('/api/me', t)).status).toBe(401);
    } finally {
      await multi.close();
    }
  });
});

describe('store keys', () => {
  it('namespaces keys by appId and never holds the raw token', async () => {
    const store = memoryStore();
    const app = await startHarness({ store }, wechat);
    try {
      const { token } = await app.login({ openid: 'oKeys' });
      const keys = store.keys();
      expect(keys.every((k) => k.startsWith(`wxs:${wechat.appId}:`))).toBe(true);
      for (const k of keys) {
        expect(k).not.toContain(token);
        expect(await store.get(k.slice(4))).not.toContain(token);
      }
      expect(keys.join()).not.toContain(wechat.sessionKeyOf('oKeys'));
    } finally {
      await app.close();
    }
  });

  it('keeps two mini-programs apart on one store', async () => {
    const other = await startWechatStandIn({ appId: 'wx00000000otherapp' });
    const store = memoryStore();
    const a = await startHarness({ store }, wechat);
    const b = await startHarness({ store }, other);
    try {
      const { token } = await a.login();
      expect((await a.get('/api/me', token)).status).toBe(200);
      expect((await b.get('/api/me', token)).status).toBe(401);
    } finally {
      await Promise.all([a.close(), b.close(), other.close()]);
    }
  });
});

describe('store failures', () => {
  const broken = (mode: 'reject' | 'hang'): WechatStore => ({
    get: () => (mode === 'reject' ? Promise.reject(new Error('ECONNREFUSED')) : new Promise(() => undefined)),
    set: () => Promise.reject(new Error('ECONNREFUSED')),
    destroy: () => Promise.reject(new Error('ECONNREFUSED')),
  });

  it.each(['reject', 'hang'] as const)('fails closed with 503 when the store does %s', async (mode) => {
    const app = express();
    const options = {
      appId: wechat.appId,
      appSecret: wechat.appSecret,
      apiBaseUrl: wechat.url,
      store: broken(mode),
      storeTimeout: 200,
      logger: false as const,
    };
    app.get('/me', requireWechatSession(options), (_req, res) => res.json({ reached: true }));
    const { server, url } = await listen(app);
    try {
      const started = Date.now();
      const res = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${'A'.repeat(32)}` } });
      expect(res.status).toBe(503);
      expect((await res.json()).error.code).toBe('WECHAT_STORE_UNAVAILABLE');
      expect(res.headers.get('retry-after')).toBe('1');
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      server.close();
    }
  });

  it('answers 503 at login when the store cannot keep the session', async () => {
    const app = await startHarness({ store: broken('reject') }, wechat);
    try {
      const res = await app.post('/wechat/login', { code: wechat.issueLoginCode() });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('WECHAT_STORE_UNAVAILABLE');
    } finally {
      await app.close();
    }
  });
});
