import { randomBytes } from 'node:crypto';
import { revokeWechatSessions } from '../../src/index.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { countingStore, type CountingStore } from './counting-store.js';
import { backendFromEnv, STORE_CASES, type StoreCase, type StoreHandle } from '../stores/store-cases.js';
import { eventually, indexKeyOf, loginAs, newIssued, openidFor, sessionKeyOf } from './lifecycle-kit.js';

/**
 * The session lifecycle through an Express app (wechatRouter + requireWechatSession),
 * run unchanged against every store on the real servers of the run.
 */

const TTL = 600;
const RENEW_AFTER = 60;
const APP_A = 'wxe2eLifecycleAppA';
const APP_B = 'wxe2eLifecycleAppB';
const USERS = 200;

describe.each(STORE_CASES.map((c) => [c.name, c] as const))('session lifecycle through Express: %s', (_name, storeCase: StoreCase) => {
  const prefix = `e2e-${randomBytes(4).toString('hex')}:`;
  const clock = { ms: Date.now() };
  const issued = newIssued();
  let opened: StoreHandle;
  let counting: CountingStore;
  let wechatA: WechatStandIn;
  let wechatB: WechatStandIn;
  let app: Harness;
  let multi: Harness;
  let appB: Harness;

  beforeAll(async () => {
    opened = await storeCase.open(backendFromEnv(), prefix);
    counting = countingStore(opened.store);
    [wechatA, wechatB] = await Promise.all([startWechatStandIn({ appId: APP_A }), startWechatStandIn({ appId: APP_B })]);
    const common = { store: counting.store, ttl: TTL, renewAfter: RENEW_AFTER, now: () => clock.ms };
    [app, multi, appB] = await Promise.all([
      startHarness(common, wechatA),
      startHarness({ ...common, singleSession: false }, wechatA),
      startHarness(common, wechatB),
    ]);
  });
  afterAll(async () => {
    await Promise.all([app, multi, appB].map((h) => h?.close()));
    await Promise.all([wechatA, wechatB].map((w) => w?.close()));
    await opened?.close();
  });

  const stored = async (key: string) => (await opened.dump()).get(opened.serverKey(key));
  const me = (h: Harness, token: string) => h.get('/api/me', token);
  const expectInvalid = async (h: Harness, token: string) => {
    const res = await me(h, token);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_SESSION_INVALID');
  };

  test('login answers a token; the server holds only its hash, with the configured TTL', async () => {
    const { token, openid } = await loginAs(app, issued, openidFor('login'));
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const res = await me(app, token);
    expect(res.status).toBe(200);
    expect(res.body.openid).toBe(openid);
    const value = await stored(sessionKeyOf(APP_A, token));
    expect(value).toContain(openid);
    expect(value).not.toContain(token);
    if (!opened.serverTtl) return;
    for (const key of [sessionKeyOf(APP_A, token), indexKeyOf(APP_A, openid)]) {
      expect(await opened.serverTtl(key)).toBeGreaterThanOrEqual(TTL - 2);
      expect(await opened.serverTtl(key)).toBeLessThanOrEqual(TTL);
    }
  });

  test('inside the renewal window a resolve reads the store once and writes nothing', async () => {
    const { token } = await loginAs(app, issued, openidFor('throttle'));
    clock.ms += (RENEW_AFTER - 1) * 1000;
    counting.reset();
    for (let i = 0; i < 3; i += 1) expect((await me(app, token)).status).toBe(200);
    expect(counting.writes()).toEqual([]);
    expect(counting.calls.filter((c) => c.method === 'get' && c.key === sessionKeyOf(APP_A, token))).toHaveLength(3);
  });

  test('past renewAfter one resolve renews (one write, the server TTL reset to ttl); the next writes nothing', async () => {
    const { token, openid } = await loginAs(app, issued, openidFor('renew'));
    const key = sessionKeyOf(APP_A, token);
    if (opened.setServerTtl && opened.serverTtl) {
      await opened.setServerTtl(key, 100);
      expect(await opened.serverTtl(key)).toBeLessThanOrEqual(100);
    }
    clock.ms += RENEW_AFTER * 1000;
    counting.reset();
    const renewed = await app.get('/wechat/session', token);
    expect(renewed.status).toBe(200);
    expect(renewed.body.expiresAt).toBe((Math.floor(clock.ms / 1000) + TTL) * 1000);
    const renewal = opened.store.replace ? 'replace' : 'set'; // replace never recreates a session ended meanwhile
    expect(counting.writes(key).map((c) => c.method)).toEqual([renewal]);
    expect(counting.writes().filter((c) => c.key !== key && c.key !== indexKeyOf(APP_A, openid))).toEqual([]);
    if (opened.serverTtl) expect(await opened.serverTtl(key)).toBeGreaterThanOrEqual(TTL - 2);
    clock.ms += 1000;
    counting.reset();
    expect((await me(app, token)).status).toBe(200);
    expect(counting.writes()).toEqual([]);
  });

  test('a session unused for ttl seconds is refused and its key removed; one in use lives on', async () => {
    const idle = await loginAs(app, issued, openidFor('idle'));
    const busy = await loginAs(app, issued, openidFor('busy'));
    clock.ms += (TTL - 100) * 1000;
    expect((await me(app, busy.token)).status).toBe(200); // renews
    clock.ms += 100 * 1000;
    await expectInvalid(app, idle.token);
    await eventually('expired key removed', async () => (await stored(sessionKeyOf(APP_A, idle.token))) === undefined, 5000);
    clock.ms += (TTL - 101) * 1000;
    expect((await me(app, busy.token)).status).toBe(200); // TTL - 1 s after its renewal
    clock.ms += TTL * 1000;
    await expectInvalid(app, busy.token);
  });

  test('logout ends the session: 204, then 401 and no key on the server', async () => {
    const { token } = await loginAs(app, issued, openidFor('logout'));
    const out = await app.post('/api/logout', {}, token);
    expect(out.status).toBe(204);
    await expectInvalid(app, token);
    expect(await stored(sessionKeyOf(APP_A, token))).toBeUndefined();
    expect((await app.post('/api/logout', {}, token)).status).toBe(401);
  });

  test('revokeWechatSessions ends every session of an openid and no other', async () => {
    const openid = openidFor('revoke');
    const sessions = [await loginAs(multi, issued, openid), await loginAs(multi, issued, openid), await loginAs(multi, issued, openid)];
    const bystander = await loginAs(multi, issued, openidFor('bystander'));
    for (const s of sessions) expect((await me(multi, s.token)).status).toBe(200);
    expect(await revokeWechatSessions(multi.options, openid)).toBe(3);
    for (const s of sessions) await expectInvalid(multi, s.token);
    expect(await stored(indexKeyOf(APP_A, openid))).toBeUndefined();
    for (const s of sessions) expect(await stored(sessionKeyOf(APP_A, s.token))).toBeUndefined();
    expect((await me(multi, bystander.token)).status).toBe(200);
  });

  test('a new login revokes the previous session by default; singleSession: false keeps both', async () => {
    const openid = openidFor('relogin');
    const first = await loginAs(app, issued, openid);
    const second = await loginAs(app, issued, openid);
    await expectInvalid(app, first.token);
    expect(await stored(sessionKeyOf(APP_A, first.token))).toBeUndefined();
    expect((await me(app, second.token)).status).toBe(200);

    const other = openidFor('multi');
    const one = await loginAs(multi, issued, other);
    const two = await loginAs(multi, issued, other);
    expect((await me(multi, one.token)).status).toBe(200);
    expect((await me(multi, two.token)).status).toBe(200);
  });

  test('two appIds on one store: tokens do not cross, keys live in different namespaces', async () => {
    const a = await loginAs(app, issued, openidFor('ns'));
    const b = await loginAs(appB, issued, a.openid); // same openid string, other mini-program
    expect((await me(app, a.token)).status).toBe(200);
    expect((await me(appB, b.token)).status).toBe(200);
    await expectInvalid(appB, a.token);
    await expectInvalid(app, b.token);
    const keys = [...(await opened.dump()).keys()];
    const keyA = opened.serverKey(sessionKeyOf(APP_A, a.token));
    const keyB = opened.serverKey(sessionKeyOf(APP_B, b.token));
    expect(keys).toEqual(expect.arrayContaining([keyA, keyB, opened.serverKey(indexKeyOf(APP_B, a.openid))]));
    expect(keyA.startsWith(opened.serverKey(`${APP_A}:`))).toBe(true);
    expect(keyB.startsWith(opened.serverKey(`${APP_B}:`))).toBe(true);
  });

  test(`${USERS} users log in concurrently and each resolves to its own openid`, async () => {
    const openids = Array.from({ length: USERS }, (_, i) => openidFor(`crowd${i}x`));
    const sessions = await Promise.all(openids.map((o) => loginAs(app, issued, o)));
    expect(new Set(sessions.map((s) => s.token)).size).toBe(USERS);
    const answers = await Promise.all(sessions.map((s) => me(app, s.token)));
    expect(answers.map((r) => r.status)).toEqual(openids.map(() => 200));
    expect(answers.map((r) => r.body.openid)).toEqual(openids);
    const keys = new Set((await opened.dump()).keys());
    expect(sessions.filter((s) => keys.has(opened.serverKey(sessionKeyOf(APP_A, s.token))))).toHaveLength(USERS);
  });

  test("the app's own fields are saved on the session and read back on later requests", async () => {
    const { token } = await loginAs(app, issued, openidFor('data'));
    const saved = await app.post('/api/data', { userId: 42, plan: 'gold' }, token);
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ userId: 42, plan: 'gold' });
    expect((await me(app, token)).body.data).toEqual({ userId: 42, plan: 'gold' });
    await app.post('/api/data', { plan: 'platinum' }, token);
    expect((await me(app, token)).body.data).toEqual({ userId: 42, plan: 'platinum' });
    expect(await stored(sessionKeyOf(APP_A, token))).toContain('platinum');
  });

  test('after the run no key or value on the server holds a raw token, and no key a session_key', async () => {
    const dump = await opened.dump();
    expect(dump.size).toBeGreaterThanOrEqual(USERS);
    expect(issued.tokens.size).toBeGreaterThan(USERS);
    expect(issued.sessionKeys.size).toBeGreaterThan(USERS);
    const leaks: string[] = [];
    for (const [key, value] of dump) {
      for (const token of issued.tokens) {
        if (key.includes(token) || value.includes(token)) leaks.push(`token in ${key}`);
      }
      for (const sessionKey of issued.sessionKeys) if (key.includes(sessionKey)) leaks.push(`session_key in ${key}`);
    }
    expect(leaks).toEqual([]);
  });
});
