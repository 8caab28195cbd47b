import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { APP_SERVER, standInEnv, startAppProcess, type AppProcess } from '../support/app-process.js';

/**
 * Expiry is judged from the record's own renewal time (`r`), and a renewal
 * rewrites the record (SET … XX). A process that cached a record must see
 * the renewal another process made, and must still let sessions expire —
 * on its own clock and on the server's TTL.
 */

const TTL = 100;
const RENEW_AFTER = 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const start = (env: Record<string, string>) => startAppProcess(APP_SERVER, { env });
/** Client-side cache hits and misses, and store writes, so far. */
const stats = async (app: AppProcess): Promise<{ hits: number; writes: number }> => (await app.call('GET', '/__stats')).body;

describe('client-side caching: renewals and expiry across two processes', () => {
  const prefix = `cscr-${randomBytes(4).toString('hex')}:`;
  let wechat: WechatStandIn;
  let a: AppProcess;
  let b: AppProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    wechat = await startWechatStandIn();
    env = {
      ...standInEnv(wechat),
      WXS_PREFIX: prefix,
      WXS_STORE_SERVERS: process.env.REDIS_URL!,
      WXS_CSC: '1',
      WXS_TTL: String(TTL),
      WXS_RENEW_AFTER: String(RENEW_AFTER),
    };
    [a, b] = await Promise.all([start(env), start(env)]);
  }, 45_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await wechat?.close();
  });

  const login = async (app: AppProcess) => {
    const openid = `orenew${randomBytes(6).toString('hex')}`;
    const res = await app.call('POST', '/wechat/login', undefined, { code: wechat.issueLoginCode({ openid }) });
    expect(res.status).toBe(200);
    return { token: res.body.token as string, openid };
  };
  const me = (app: AppProcess, token: string) => app.call('GET', '/api/me', token);
  // Clock moves of the running test, undone after it.
  const moved = new Map<AppProcess, number>();
  const advance = async (app: AppProcess, seconds: number) => {
    moved.set(app, (moved.get(app) ?? 0) + seconds);
    await app.call('POST', '/__clock', undefined, { advance: seconds });
  };
  afterEach(async () => {
    await Promise.all([...moved].map(([app, seconds]) => app.call('POST', '/__clock', undefined, { advance: -seconds })));
    moved.clear();
  });

  test('a renewal made on B is seen by A, whose cached copy would have expired; then it expires on A all the same', async () => {
    const { token } = await login(b);
    const first = await me(a, token);
    expect(first.status).toBe(200);
    expect((await me(a, token)).body.expiresAt).toBe(first.body.expiresAt); // from A's cache, not renewed
    const hitsBefore = (await stats(a)).hits;
    expect(hitsBefore).toBeGreaterThan(0);

    await advance(b, 50);
    const renewed = await me(b, token); // due: B renews the record (r moves 50 s on)
    expect(renewed.status).toBe(200);
    expect(renewed.body.expiresAt - first.body.expiresAt).toBeGreaterThanOrEqual(49_000);

    await advance(a, 120); // past the first record's expiry, before the renewed one's
    const onA = await me(a, token); // A judges from B's renewal (and, 70 s after it, renews again)
    expect(onA.status).toBe(200);
    expect(onA.body.expiresAt).toBeGreaterThanOrEqual(renewed.body.expiresAt);

    await advance(a, TTL + 10); // past every expiry: A refuses, from its cache or not
    const expired = await me(a, token);
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('WECHAT_SESSION_INVALID');
    // A removed what it found expired; B, whose clock is behind, no longer finds it either.
    expect((await me(b, token)).status).toBe(401);
  });

  test('a steady session is renewed once per renewAfter, and A keeps answering from its cache in between', async () => {
    const { token } = await login(b);
    expect((await me(a, token)).status).toBe(200);
    const before = await stats(a);
    for (let i = 0; i < 20; i += 1) expect((await me(a, token)).status).toBe(200);
    const steady = await stats(a);
    expect(steady.writes - before.writes).toBe(0);
    expect(steady.hits - before.hits).toBeGreaterThanOrEqual(20);

    await advance(a, RENEW_AFTER + 1);
    for (let i = 0; i < 20; i += 1) expect((await me(a, token)).status).toBe(200);
    const renewed = await stats(a);
    expect(renewed.writes - steady.writes).toBe(2); // the record (SET XX) and its user's index (EXPIRE), once
    // B sees the renewal A made: same expiry on both sides.
    await advance(b, RENEW_AFTER + 1);
    expect((await me(b, token)).body.expiresAt).toBe((await me(a, token)).body.expiresAt);
  });

  test("the server's own TTL still ends a session a process has cached", async () => {
    const shortPrefix = `cscx-${randomBytes(4).toString('hex')}:`;
    const short = { ...env, WXS_PREFIX: shortPrefix, WXS_TTL: '2', WXS_RENEW_AFTER: '1' };
    const [c, d] = await Promise.all([start(short), start(short)]);
    const raw = createClient({ url: process.env.REDIS_URL });
    await raw.connect();
    try {
      const { token } = await login(d);
      expect((await me(c, token)).status).toBe(200);
      expect((await me(c, token)).status).toBe(200);
      const keys = await raw.keys(`${shortPrefix}${wechat.appId}:s:*`);
      expect(keys.length).toBeGreaterThan(0);
      const ttls = await Promise.all(keys.map((k) => raw.ttl(k)));
      expect(Math.max(...ttls)).toBeLessThanOrEqual(2);
      await sleep(2300);
      expect(await raw.exists(keys)).toBe(0); // gone from the server
      const late = await me(c, token);
      expect(late.status).toBe(401);
      expect(late.body.error.code).toBe('WECHAT_SESSION_INVALID');
    } finally {
      await raw.close();
      await Promise.all([c.stop(), d.stop()]);
    }
  }, 30_000);
});
