import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { memoryStore } from '../../adapters/memory.js';
import { redisStore } from '../../adapters/redis.js';
import { type WechatError, wechatSession, type WechatSessionContext, type WechatStore } from '../../src/index.js';

const sessionKey = () => randomBytes(16).toString('base64');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function outcome(ctx: WechatSessionContext, token: string): Promise<string> {
  try {
    return (await ctx.app().sessions.resolve(token, true)).openid;
  } catch (err) {
    return (err as WechatError).code;
  }
}

describe('revocation', () => {
  let client: ReturnType<typeof createClient>;
  beforeAll(async () => {
    client = createClient({ url: process.env.REDIS_URL });
    await client.connect();
  });
  afterAll(() => client.destroy());

  it('leaves no session alive when logins race a revoke-all (300 races on Redis)', async () => {
    const ctx = wechatSession({
      appId: 'wx0123456789race01',
      appSecret: 's'.repeat(32),
      store: redisStore({ client, prefix: `race${Date.now()}:` }),
      singleSession: false,
      logger: false,
    });
    const survivors: string[] = [];
    for (let trial = 0; trial < 300; trial++) {
      const openid = `oRace${trial}`;
      const first = await ctx.app().sessions.create({ openid, sessionKey: sessionKey() });
      const [raced] = await Promise.all([
        sleep(Math.random() * 3).then(() => ctx.app().sessions.create({ openid, sessionKey: sessionKey() })),
        sleep(Math.random() * 3).then(() => ctx.app().sessions.revokeAll(openid)),
      ]);
      // Whatever the order, one more revocation ends everything the openid holds.
      await ctx.app().sessions.revokeAll(openid);
      for (const token of [first.token, raced.token]) if ((await outcome(ctx, token)) !== 'WECHAT_SESSION_INVALID') survivors.push(openid);
    }
    expect(survivors).toEqual([]);
  });

  it('puts a session back into an index that a store evicting by recency dropped, at its next renewal', async () => {
    let now = Date.now();
    const store = memoryStore({ max: 50 });
    const ctx = wechatSession({ appId: 'wx0123456789lru001', appSecret: 's'.repeat(32), store, now: () => now, logger: false });
    const session = await ctx.app().sessions.create({ openid: 'oBusy', sessionKey: sessionKey() });
    for (let i = 0; i < 100; i++) {
      store.set(`filler${i}`, 'x', 600);
      await ctx.app().sessions.resolve(session.token, true); // the session stays recent; the index is never read
    }
    expect(store.keys().some((k) => k.endsWith(':u:oBusy'))).toBe(false);
    now += 3601 * 1000; // past renewAfter
    expect(await outcome(ctx, session.token)).toBe('oBusy');
    expect(await ctx.app().sessions.revokeAll('oBusy')).toBe(1);
    expect(await outcome(ctx, session.token)).toBe('WECHAT_SESSION_INVALID');
  });

  it('never brings back a session ended during a renewal when the store has no replace()', async () => {
    let now = Date.now();
    const inner = memoryStore();
    let endAfterRead: string | undefined;
    const store: WechatStore = {
      get: (key) => {
        const value = inner.get(key);
        if (key === endAfterRead) inner.destroy(key); // a logout lands between the read and the renewal's write
        return value;
      },
      set: (key, value, ttl) => inner.set(key, value, ttl),
      destroy: (key) => inner.destroy(key),
    };
    const ctx = wechatSession({ appId: 'wx0123456789nrp001', appSecret: 's'.repeat(32), store, now: () => now, logger: false });
    const session = await ctx.app().sessions.create({ openid: 'oEnded', sessionKey: sessionKey() });
    now += 3601 * 1000;
    endAfterRead = inner
      .keys()
      .find((k) => k.includes(':s:'))!
      .slice('wxs:'.length);
    expect(await outcome(ctx, session.token)).toBe('oEnded'); // this request read it in time
    endAfterRead = undefined;
    expect(await outcome(ctx, session.token)).toBe('WECHAT_SESSION_INVALID');
  });
});
