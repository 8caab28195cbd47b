import { randomBytes } from 'node:crypto';
import { memoryStore } from '../../adapters/memory.js';
import { getContext } from '../../src/context.js';
import { WechatError } from '../../src/index.js';
import { hashToken } from '../../src/session/token.js';
import { TokenKeys } from '../../src/session/token-keys.js';

const sessionKey = () => randomBytes(16).toString('base64');

/** The session a token resolves to, or the error code it is refused with. */
async function resolveCode(ctx: ReturnType<typeof getContext>, token: string): Promise<string> {
  try {
    return (await ctx.sessions.resolve(token)).openid;
  } catch (err) {
    return (err as WechatError).code;
  }
}

describe('token keys', () => {
  it('keys a token by the hash of it under the prefix, and refuses a malformed one every time', () => {
    const keys = new TokenKeys('wxapp:s:');
    const token = randomBytes(24).toString('base64url');
    expect(keys.of(token)).toEqual({ hash: hashToken(token), key: `wxapp:s:${hashToken(token)}` });
    expect(keys.of(token)).toEqual({ hash: hashToken(token), key: `wxapp:s:${hashToken(token)}` });
    for (const bad of ['short', `${token}x`, `${token.slice(0, 31)}!`]) {
      for (let i = 0; i < 2; i++) {
        let code: string | undefined;
        try {
          keys.of(bad);
        } catch (err) {
          code = (err as WechatError).code;
        }
        expect({ bad, code }).toEqual({ bad, code: 'WECHAT_SESSION_INVALID' });
      }
    }
  });

  it('resolves every session past the number of keys it remembers, and twice over', async () => {
    const options = { appId: 'wx0123456789keys01', appSecret: 's'.repeat(32), store: memoryStore(), logger: false as const };
    const ctx = getContext(options);
    const sessions = [];
    for (let i = 0; i < 4500; i++) sessions.push(await ctx.sessions.create({ openid: `oKeys${i}`, sessionKey: sessionKey() }));
    for (let round = 0; round < 2; round++) {
      const resolved = await Promise.all(sessions.map((s) => resolveCode(ctx, s.token)));
      expect(resolved.filter((openid, i) => openid !== `oKeys${i}`)).toEqual([]);
    }
  });

  it('refuses a remembered token once its session is revoked, and keeps two apps on one store apart', async () => {
    const store = memoryStore();
    const a = getContext({ appId: 'wx0123456789keysaa', appSecret: 's'.repeat(32), store, logger: false });
    const b = getContext({ appId: 'wx0123456789keysbb', appSecret: 's'.repeat(32), store, logger: false });
    const session = await a.sessions.create({ openid: 'oRevoked', sessionKey: sessionKey() });
    expect(await resolveCode(a, session.token)).toBe('oRevoked');
    expect(await resolveCode(b, session.token)).toBe('WECHAT_SESSION_INVALID');
    await a.sessions.revokeToken(session.token);
    expect(await resolveCode(a, session.token)).toBe('WECHAT_SESSION_INVALID');
  });
});
