/**
 * Property tests for what WeChat (or something posing as it) answers, and for
 * logins racing revocations: whatever the upstream sends, a login stores an
 * identity of WeChat's shape or answers 502 and stores nothing; whatever the
 * interleaving, one more revocation leaves no session of the user alive.
 */
import fc from 'fast-check';
import { memoryStore } from '../../adapters/memory.js';
import { WechatError, wechatSession, type WechatStore } from '../../src/index.js';
import { startHostileUpstream, type HostileUpstream } from '../client/hostile-upstream.js';
import { runs, SEED } from './check.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

let upstream: HostileUpstream;
beforeAll(async () => {
  upstream = await startHostileUpstream();
});
afterAll(() => upstream.close());

/** An identity field as a hostile upstream might fill it. */
const hostileId = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
  fc.string({ maxLength: 80 }),
  fc.constantFrom('victim:lock', 'a\r\nb', 'nul\u0000', 'x'.repeat(100_000), '', ' ', 'o'.repeat(65)),
  fc.jsonValue({ maxDepth: 2 }),
);
const sessionKey = fc.oneof(fc.constant('tiihtNczf5v6AKRyjwEUhQ=='), fc.string({ maxLength: 30 }), fc.jsonValue({ maxDepth: 1 }));
const answer = fc.record(
  { openid: hostileId, session_key: sessionKey, unionid: hostileId, errcode: fc.constantFrom(undefined, 0, '0', 40029, '40029', -1) },
  { requiredKeys: [] },
);

it('stores an identity of WeChat’s shape, or answers an error and stores nothing, whatever jscode2session answers', async () => {
  await fc.assert(
    fc.asyncProperty(answer, async (json) => {
      upstream.answer = { json };
      const store = memoryStore();
      const ctx = wechatSession({ appId: 'wx0123456789hostl1', appSecret: 's'.repeat(32), apiBaseUrl: upstream.url, store, retries: 0, logger: false });
      let identity: { openid: string; unionid?: string } | undefined;
      let code: string | undefined;
      try {
        const exchanged = await ctx.client.code2Session('a'.repeat(32));
        identity = exchanged;
        await ctx.app().sessions.create({ ...exchanged, sessionKey: 'tiihtNczf5v6AKRyjwEUhQ==' });
      } catch (err) {
        expect(err).toBeInstanceOf(WechatError);
        code = (err as WechatError).code;
      }
      if (identity) {
        expect(identity.openid).toMatch(ID_SHAPE);
        if (identity.unionid !== undefined) expect(identity.unionid).toMatch(ID_SHAPE);
        expect(store.keys().every((k) => !/[\r\n\0]/.test(k) && k.length < 200)).toBe(true);
      } else {
        expect(['WECHAT_UPSTREAM_ERROR', 'WECHAT_CODE_INVALID']).toContain(code);
        expect(store.size).toBe(0);
      }
    }),
    { seed: SEED, numRuns: runs(150) },
  );
});

/** A memory store a few milliseconds away, like a network one, so operations interleave. */
function distant(inner = memoryStore()): WechatStore {
  const later = <T>(value: T) => sleep(Math.random() * 3).then(() => value);
  return {
    get: (k) => later(inner.get(k)),
    set: (k, v, t) => later(inner.set(k, v, t)),
    destroy: (k) => later(inner.destroy(k)),
    replace: (k, v, t) => later(inner.replace(k, v, t)),
    touch: (k, t) => later(inner.touch(k, t)),
    add: (k, v, t) => later(inner.add(k, v, t)),
    destroyIfEqual: (k, v) => later(inner.destroyIfEqual(k, v)),
  };
}

it('leaves no session alive after one more revocation, whatever logins, renewals and revocations raced', async () => {
  const step = fc.constantFrom('login', 'revoke', 'use');
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(step, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 4 }), fc.boolean(), async (lanes, single) => {
      let now = Date.now();
      const ctx = wechatSession({
        appId: 'wx0123456789race02',
        appSecret: 's'.repeat(32),
        store: distant(),
        singleSession: single,
        now: () => now,
        logger: false,
      });
      const tokens: string[] = [];
      const run = async (steps: string[]) => {
        for (const s of steps) {
          if (s === 'login') tokens.push((await ctx.app().sessions.create({ openid: 'oLane', sessionKey: 'tiihtNczf5v6AKRyjwEUhQ==' })).token);
          else if (s === 'revoke') await ctx.app().sessions.revokeAll('oLane');
          else {
            now += 3601 * 1000; // every use renews
            await Promise.all(
              tokens.map((t) =>
                ctx
                  .app()
                  .sessions.resolve(t, true)
                  .catch(() => undefined),
              ),
            );
          }
        }
      };
      await Promise.all(lanes.map(run));
      await ctx.app().sessions.revokeAll('oLane');
      const alive = await Promise.all(
        tokens.map((t) =>
          ctx
            .app()
            .sessions.resolve(t, true)
            .then(
              () => t,
              () => undefined,
            ),
        ),
      );
      expect(alive.filter(Boolean)).toEqual([]);
    }),
    { seed: SEED + 1, numRuns: runs(80) },
  );
});
