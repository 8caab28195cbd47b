import { randomBytes } from 'node:crypto';
import { memoryStore } from '../../adapters/memory.js';
import { type WechatError, wechatSession, type WechatSessionContext } from '../../src/index.js';
import { createToken, hashToken, isTokenShaped } from '../../src/session/token.js';

const sessionKey = () => randomBytes(16).toString('base64');

/** The session a token resolves to, or the error code it is refused with. */
async function resolveCode(ctx: WechatSessionContext, token: string): Promise<string> {
  try {
    return (await ctx.app().sessions.resolve(token, true)).openid;
  } catch (err) {
    return (err as WechatError).code;
  }
}

describe('session tokens', () => {
  it('are 32 base64url characters, kept in the store only as a hash under the app prefix', async () => {
    const token = createToken();
    expect(isTokenShaped(token)).toBe(true);
    expect(hashToken(token)).toHaveLength(32);
    expect(hashToken(token)).not.toBe(hashToken(createToken()));
    const store = memoryStore({ prefix: '' });
    const ctx = wechatSession({ appId: 'wx0123456789keys02', appSecret: 's'.repeat(32), store, logger: false });
    const session = await ctx.app().sessions.create({ openid: 'oHashed', sessionKey: sessionKey() });
    expect(store.keys()).toContain(`wx0123456789keys02:s:${hashToken(session.token)}`);
    expect(store.keys().join()).not.toContain(session.token);
  });

  it('refuses a malformed token every time, without a store call', async () => {
    const calls: string[] = [];
    const inner = memoryStore();
    const store = { ...inner, get: (key: string) => (calls.push(key), inner.get(key)) };
    const ctx = wechatSession({ appId: 'wx0123456789keys03', appSecret: 's'.repeat(32), store, logger: false });
    const token = createToken();
    for (const bad of ['short', `${token}x`, `${token.slice(0, 31)}!`, ` ${token.slice(1)}`]) {
      for (let i = 0; i < 2; i++) expect({ bad, code: await resolveCode(ctx, bad) }).toEqual({ bad, code: 'WECHAT_SESSION_INVALID' });
    }
    expect(calls).toEqual([]);
  });

  it('resolves every session of many, twice over', async () => {
    const options = { appId: 'wx0123456789keys01', appSecret: 's'.repeat(32), store: memoryStore(), logger: false as const };
    const ctx = wechatSession(options);
    const sessions = [];
    for (let i = 0; i < 4500; i++) sessions.push(await ctx.app().sessions.create({ openid: `oKeys${i}`, sessionKey: sessionKey() }));
    for (let round = 0; round < 2; round++) {
      const resolved = await Promise.all(sessions.map((s) => resolveCode(ctx, s.token)));
      expect(resolved.filter((openid, i) => openid !== `oKeys${i}`)).toEqual([]);
    }
  });

  it('refuses a token once its session is revoked, and keeps two apps on one store apart', async () => {
    const store = memoryStore();
    const a = wechatSession({ appId: 'wx0123456789keysaa', appSecret: 's'.repeat(32), store, logger: false });
    const b = wechatSession({ appId: 'wx0123456789keysbb', appSecret: 's'.repeat(32), store, logger: false });
    const session = await a.app().sessions.create({ openid: 'oRevoked', sessionKey: sessionKey() });
    expect(await resolveCode(a, session.token)).toBe('oRevoked');
    expect(await resolveCode(b, session.token)).toBe('WECHAT_SESSION_INVALID');
    expect(await a.app().sessions.revokeAll('oRevoked')).toBe(1);
    expect(await resolveCode(a, session.token)).toBe('WECHAT_SESSION_INVALID');
  });
});
