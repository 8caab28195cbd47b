import { randomBytes } from 'node:crypto';
import { memoryStore, type MemoryStore } from '../../adapters/memory.js';
import { wechatSession, type WechatError, type WechatStore } from '../../src/index.js';
import { WechatSession } from '../../src/session/handle.js';
import type { SessionManager } from '../../src/session/manager.js';
import { hashToken } from '../../src/session/token.js';
import { recordingLogger } from '../support/harness.js';

/**
 * The session manager on the memory store, with a clock the test moves:
 * expiry and renewal at their exact boundaries, the index of an openid's
 * sessions and its lock, corrupt and missing values, failing writes.
 */

const APP = 'wx0123456789mgr001';
const TTL = 1000;
const RENEW_AFTER = 100;
const T0 = 1_700_000_000_000;
const sessionKey = () => randomBytes(16).toString('base64');

interface Setup {
  sessions: SessionManager;
  inner: MemoryStore;
  readonly logs: { level: string; event?: string; msg?: string; openid?: string; key?: string }[];
  events: { type: string; openid: string; sessions?: number; reason?: string }[];
  clock: { now: number };
}

function setup(options: { store?: (inner: MemoryStore) => WechatStore; singleSession?: boolean; maxSessionsPerUser?: number } = {}): Setup {
  const inner = memoryStore();
  const lines: string[] = [];
  const events: Setup['events'] = [];
  const clock = { now: T0 + 123 };
  const ctx = wechatSession({
    appId: APP,
    appSecret: 's'.repeat(32),
    store: options.store ? options.store(inner) : inner,
    logger: recordingLogger(lines),
    now: () => clock.now,
    ttl: TTL,
    renewAfter: RENEW_AFTER,
    singleSession: options.singleSession ?? false,
    maxSessionsPerUser: options.maxSessionsPerUser ?? 3,
    on: { renew: (e) => void events.push(e), revoke: (e) => void events.push(e) },
  });
  return {
    sessions: ctx.app().sessions,
    inner,
    clock,
    events,
    get logs() {
      return lines.map((line) => JSON.parse(line) as Setup['logs'][number]);
    },
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    expect((err as WechatError).message.length).toBeGreaterThan(0);
    return (err as WechatError).code;
  }
}

const seconds = (ms: number) => Math.floor(ms / 1000);
const indexOf = (s: Setup, openid: string): string[] => JSON.parse(s.inner.get(`${APP}:u:${openid}`) ?? '[]');

describe('session expiry and renewal', () => {
  it('expires ttl seconds after the last renewal, to the second, and removes the expired session', async () => {
    const s = setup();
    const session = await s.sessions.create({ openid: 'oExp', sessionKey: sessionKey() });
    expect(session.expiresAt).toBe((seconds(T0 + 123) + TTL) * 1000);
    s.clock.now = session.expiresAt - 1000;
    const last = await s.sessions.resolve(session.token, false);
    expect(last.expiresAt).toBe(session.expiresAt);
    s.clock.now = session.expiresAt;
    expect(await codeOf(s.sessions.resolve(session.token, false))).toBe('WECHAT_SESSION_INVALID');
    await new Promise((resolve) => setImmediate(resolve));
    expect(s.inner.get(`${APP}:s:${hashToken(session.token)}`)).toBeUndefined();
  });

  it('renews once renewAfter seconds have passed, not a second before, and only when asked to', async () => {
    const s = setup();
    const session = await s.sessions.create({ openid: 'oRenew', sessionKey: sessionKey() });
    const born = seconds(T0 + 123);
    s.clock.now = (born + RENEW_AFTER - 1) * 1000 + 999;
    expect((await s.sessions.resolve(session.token, true)).expiresAt).toBe(session.expiresAt);
    expect(s.sessions.renewalDue(session)).toBe(false);
    s.clock.now = (born + RENEW_AFTER) * 1000;
    expect(s.sessions.renewalDue(session)).toBe(true);
    expect((await s.sessions.resolve(session.token, false)).expiresAt).toBe(session.expiresAt);
    expect(s.events).toEqual([]);
    const renewed = await s.sessions.resolve(session.token, true);
    expect(renewed.expiresAt).toBe((born + RENEW_AFTER + TTL) * 1000);
    expect(s.events).toEqual([{ type: 'renew', openid: 'oRenew' }]);
    expect((await s.sessions.resolve(session.token, false)).expiresAt).toBe(renewed.expiresAt);
  });

  it('renewIfDue writes only when due, keeps the phone, and hands back the same handle otherwise', async () => {
    const s = setup();
    const session = await s.sessions.create({ openid: 'oLater', sessionKey: sessionKey() });
    expect(await s.sessions.renewIfDue(session)).toBe(session);
    s.clock.now += RENEW_AFTER * 1000;
    const used = await s.sessions.resolve(session.token, false);
    used.phone = { phoneNumber: '1', purePhoneNumber: '1', countryCode: '86' } as never;
    const renewed = await s.sessions.renewIfDue(used);
    expect(renewed).not.toBe(used);
    expect(renewed.expiresAt).toBe(session.expiresAt + RENEW_AFTER * 1000);
    expect(renewed.phone).toEqual(used.phone);
    expect(renewed.token).toBe(session.token);
    expect((await s.sessions.resolve(session.token, false)).expiresAt).toBe(renewed.expiresAt);
    expect(await s.sessions.renewIfDue(renewed)).toBe(renewed);
  });

  it('renewIfDue leaves a session alone that is gone, belongs to someone else, or was renewed meanwhile', async () => {
    const s = setup();
    const session = await s.sessions.create({ openid: 'oGone', sessionKey: sessionKey() });
    s.clock.now += RENEW_AFTER * 1000;
    const stale = await s.sessions.resolve(session.token, false);
    await s.sessions.resolve(session.token, true); // another request renewed it
    expect(await s.sessions.renewIfDue(stale)).toBe(stale);
    const fields = {
      realm: s.sessions.realm,
      subject: 'oSomeoneElse',
      sessionKey: stale.sessionKey,
      token: stale.token,
      hash: hashToken(stale.token),
      expiresAt: stale.expiresAt,
    };
    const other = new WechatSession(fields, s.sessions);
    s.clock.now += RENEW_AFTER * 1000;
    expect(await s.sessions.renewIfDue(other)).toBe(other);
    await stale.destroy();
    expect(await s.sessions.renewIfDue(stale)).toBe(stale);
    expect(s.events.filter((e) => e.type === 'renew')).toHaveLength(1);
  });

  it('renewIfDue asks the store nothing while no renewal is due', async () => {
    const gets: string[] = [];
    const s = setup({ store: (inner) => ({ ...inner, get: (key) => (gets.push(key), inner.get(key)) }) });
    const session = await s.sessions.create({ openid: 'oQuiet', sessionKey: sessionKey() });
    gets.length = 0;
    s.clock.now += (RENEW_AFTER - 1) * 1000;
    expect(await s.sessions.renewIfDue(session)).toBe(session);
    expect(gets).toEqual([]);
  });

  it('renewIfDue never rejects when the store fails', async () => {
    let failing = false;
    const s = setup({ store: (inner) => ({ ...inner, get: (key) => (failing ? Promise.reject(new Error('down')) : inner.get(key)) }) });
    const session = await s.sessions.create({ openid: 'oDown', sessionKey: sessionKey() });
    s.clock.now += RENEW_AFTER * 1000;
    failing = true;
    expect(await s.sessions.renewIfDue(session)).toBe(session);
  });

  it('still resolves, with its old expiry, when the renewal write fails, and says so in the log', async () => {
    let failing = false;
    const s = setup({ store: (inner) => ({ ...inner, replace: (k, v, t) => (failing ? Promise.reject(new Error('down')) : inner.replace(k, v, t)) }) });
    const session = await s.sessions.create({ openid: 'oNoWrite', sessionKey: sessionKey() });
    s.clock.now += RENEW_AFTER * 1000;
    failing = true;
    expect((await s.sessions.resolve(session.token, true)).expiresAt).toBe(session.expiresAt);
    expect(s.events).toEqual([]);
    const warned = s.logs.filter((l) => l.event === 'session.renew_failed');
    expect(warned).toEqual([expect.objectContaining({ level: 'warn', openid: 'oNoWrite' })]);
    expect(warned[0]!.msg!.length).toBeGreaterThan(0);
  });

  it('warns once, at start, about a store without replace(), and never renews on it', async () => {
    const s = setup({ store: (inner) => ({ get: inner.get, set: inner.set, destroy: inner.destroy }) });
    const warned = s.logs.filter((l) => l.event === 'store.no_replace');
    expect(warned).toEqual([expect.objectContaining({ level: 'warn' })]);
    expect(warned[0]!.msg!.length).toBeGreaterThan(0);
    const session = await s.sessions.create({ openid: 'oNoReplace', sessionKey: sessionKey() });
    s.clock.now += RENEW_AFTER * 1000;
    expect(s.sessions.renewalDue(session)).toBe(false);
    expect((await s.sessions.resolve(session.token, true)).expiresAt).toBe(session.expiresAt);
    expect(setup().logs.filter((l) => l.event === 'store.no_replace')).toEqual([]);
  });
});

describe('stored values', () => {
  it('refuses a malformed token, and an unknown one without calling it corrupt', async () => {
    const s = setup();
    expect(await codeOf(s.sessions.resolve('not a token', true))).toBe('WECHAT_SESSION_INVALID');
    expect(await codeOf(s.sessions.resolve('A'.repeat(32), true))).toBe('WECHAT_SESSION_INVALID');
    expect(s.logs.filter((l) => l.event === 'store.corrupt')).toEqual([]);
  });

  it('treats null as a miss, and a value that is not a session as none, with a warning that names no key', async () => {
    const s = setup({ store: (inner) => ({ ...inner, get: (key) => inner.get(key) ?? null }) });
    const session = await s.sessions.create({ openid: 'oNull', sessionKey: sessionKey() });
    expect(await codeOf(s.sessions.resolve(`${session.token.slice(0, 31)}${session.token[31] === 'A' ? 'B' : 'A'}`, true))).toBe('WECHAT_SESSION_INVALID');
    s.inner.set(`${APP}:s:${hashToken(session.token)}`, '{"not":"a session"}', 60);
    expect(await codeOf(s.sessions.resolve(session.token, true))).toBe('WECHAT_SESSION_INVALID');
    const warned = s.logs.filter((l) => l.event === 'store.corrupt');
    expect(warned).toEqual([expect.objectContaining({ level: 'warn', key: `${APP}:s:…` })]);
    expect(warned[0]!.msg!.length).toBeGreaterThan(0);
  });

  it('keeps the unionid only when there is one, and gives each copy its own data', async () => {
    const s = setup();
    const withUnion = await s.sessions.create({ openid: 'oU', unionid: 'uX', sessionKey: sessionKey() });
    const without = await s.sessions.create({ openid: 'oV', unionid: '', sessionKey: sessionKey() });
    expect((await s.sessions.resolve(withUnion.token, false)).unionid).toBe('uX');
    expect((await s.sessions.resolve(without.token, false)).unionid).toBeUndefined();
    await withUnion.save({ cart: 1 } as never);
    const resolved = await s.sessions.resolve(withUnion.token, false);
    const copy = s.sessions.copy(resolved);
    expect(copy.data).toEqual({ cart: 1 });
    (copy.data as Record<string, unknown>).cart = 2;
    expect(resolved.data).toEqual({ cart: 1 });
    expect(copy.expiresAt).toBe(resolved.expiresAt);
    expect(copy.sessionKey).toBe(resolved.sessionKey);
    expect(copy.unionid).toBe('uX');
  });
});

describe('saving data', () => {
  it('overwrites the session for its remaining seconds, and refuses a session that ended or expired', async () => {
    const s = setup();
    const session = await s.sessions.create({ openid: 'oSave', sessionKey: sessionKey() });
    s.clock.now = session.expiresAt - 1000;
    await session.save({ step: 1 } as never);
    expect((await s.sessions.resolve(session.token, false)).data).toEqual({ step: 1 });
    s.clock.now = session.expiresAt;
    expect(await codeOf(session.save({ step: 2 } as never))).toBe('WECHAT_SESSION_INVALID');
    s.clock.now = session.expiresAt - 2000;
    await session.destroy();
    expect(await codeOf(session.save({ step: 3 } as never))).toBe('WECHAT_SESSION_INVALID');
    expect(s.inner.get(`${APP}:s:${hashToken(session.token)}`)).toBeUndefined();
  });

  it('writes with set() on a store without replace()', async () => {
    const s = setup({ store: (inner) => ({ get: inner.get, set: inner.set, destroy: inner.destroy }) });
    const session = await s.sessions.create({ openid: 'oSet', sessionKey: sessionKey() });
    await session.save({ step: 4 } as never);
    expect((await s.sessions.resolve(session.token, false)).data).toEqual({ step: 4 });
  });
});

describe("the index of an openid's sessions", () => {
  it('keeps at most maxSessionsPerUser, ending the oldest, and says how many a login ended', async () => {
    const s = setup({ maxSessionsPerUser: 3 });
    const made: WechatSession[] = [];
    for (let i = 0; i < 5; i++) made.push(await s.sessions.create({ openid: 'oMany', sessionKey: sessionKey() }));
    expect(indexOf(s, 'oMany')).toEqual(made.slice(2).map((m) => hashToken(m.token)));
    const alive = await Promise.all(made.map((m) => codeOf(s.sessions.resolve(m.token, false))));
    expect(alive).toEqual(['WECHAT_SESSION_INVALID', 'WECHAT_SESSION_INVALID', undefined, undefined, undefined]);
    expect(s.events).toEqual([
      { type: 'revoke', openid: 'oMany', sessions: 1, reason: 'newLogin' },
      { type: 'revoke', openid: 'oMany', sessions: 1, reason: 'newLogin' },
    ]);
    expect(await s.sessions.revokeAll('oMany')).toBe(3);
    expect(s.events.at(-1)).toEqual({ type: 'revoke', openid: 'oMany', sessions: 3, reason: 'revokeAll' });
    expect(s.inner.get(`${APP}:u:oMany`)).toBeUndefined();
    expect(await Promise.all(made.map((m) => codeOf(s.sessions.resolve(m.token, false))))).toEqual(Array(5).fill('WECHAT_SESSION_INVALID'));
  });

  it("gives the session_key of the openid's newest live session, passing over ended ones and entries of another openid", async () => {
    const s = setup({ maxSessionsPerUser: 3 });
    const keys = [sessionKey(), sessionKey(), sessionKey()];
    const made: WechatSession[] = [];
    for (const key of keys) made.push(await s.sessions.create({ openid: 'oKeys', sessionKey: key }));
    expect(await s.sessions.latestSessionKey('oKeys')).toBe(keys[2]);
    await s.sessions.destroyHash(hashToken(made[2]!.token));
    expect(await s.sessions.latestSessionKey('oKeys')).toBe(keys[1]);
    const other = await s.sessions.create({ openid: 'oOther', sessionKey: sessionKey() });
    s.inner.set(`${APP}:u:oKeys`, JSON.stringify([hashToken(made[0]!.token), hashToken(other.token)]), TTL);
    expect(await s.sessions.latestSessionKey('oKeys')).toBe(keys[0]);
    expect(await s.sessions.latestSessionKey('oNobody')).toBeUndefined();
  });

  it('ends every earlier session at a login under singleSession', async () => {
    const s = setup({ singleSession: true, maxSessionsPerUser: 5 });
    const first = await s.sessions.create({ openid: 'oOne', sessionKey: sessionKey() });
    expect(s.events).toEqual([]);
    const second = await s.sessions.create({ openid: 'oOne', sessionKey: sessionKey() });
    expect(await codeOf(s.sessions.resolve(first.token, false))).toBe('WECHAT_SESSION_INVALID');
    expect(await codeOf(s.sessions.resolve(second.token, false))).toBeUndefined();
    expect(indexOf(s, 'oOne')).toEqual([hashToken(second.token)]);
    expect(s.events).toEqual([{ type: 'revoke', openid: 'oOne', sessions: 1, reason: 'newLogin' }]);
    expect(await s.sessions.revokeAll('oNobody')).toBe(0);
  });

  it('is kept alive at each renewal, and an entry it lost is put back without ending the others', async () => {
    const touched: string[] = [];
    const s = setup({ store: (inner) => ({ ...inner, touch: (k, t) => (touched.push(k), inner.touch(k, t)) }), maxSessionsPerUser: 3 });
    const a = await s.sessions.create({ openid: 'oKept', sessionKey: sessionKey() });
    const b = await s.sessions.create({ openid: 'oKept', sessionKey: sessionKey() });
    s.clock.now += RENEW_AFTER * 1000;
    await s.sessions.resolve(a.token, true);
    expect(touched).toEqual([`${APP}:u:oKept`]);
    s.inner.set(`${APP}:u:oKept`, JSON.stringify([hashToken(b.token)]), 60);
    s.clock.now += RENEW_AFTER * 1000;
    await s.sessions.resolve(a.token, true);
    expect(indexOf(s, 'oKept')).toEqual([hashToken(b.token), hashToken(a.token)]);
    expect(s.events.filter((e) => e.type === 'revoke')).toEqual([]);
    expect(await s.sessions.revokeAll('oKept')).toBe(2);
  });

  it('puts a lost entry back at renewal without ending the sessions past the limit it finds', async () => {
    const s = setup({ maxSessionsPerUser: 2 });
    const a = await s.sessions.create({ openid: 'oFull', sessionKey: sessionKey() });
    const b = await s.sessions.create({ openid: 'oFull', sessionKey: sessionKey() });
    s.inner.set(`${APP}:u:oFull`, JSON.stringify([hashToken(b.token), 'someOtherHash']), 60);
    s.clock.now += RENEW_AFTER * 1000;
    await s.sessions.resolve(a.token, true);
    expect(indexOf(s, 'oFull')).toEqual([hashToken(b.token), 'someOtherHash', hashToken(a.token)]);
    expect(await codeOf(s.sessions.resolve(b.token, false))).toBeUndefined();
    expect(s.events.filter((e) => e.type === 'revoke')).toEqual([]);
  });

  it('holds a lost entry once when two renewals put it back at the same time', async () => {
    const s = setup();
    const a = await s.sessions.create({ openid: 'oTwice', sessionKey: sessionKey() });
    s.inner.destroy(`${APP}:u:oTwice`);
    s.clock.now += RENEW_AFTER * 1000;
    await Promise.all([s.sessions.resolve(a.token, true), s.sessions.resolve(a.token, true)]);
    expect(indexOf(s, 'oTwice')).toEqual([hashToken(a.token)]);
  });

  it('is rewritten with set() at renewal on a store without touch()', async () => {
    const sets: string[] = [];
    const s = setup({
      store: (inner) => ({ get: inner.get, destroy: inner.destroy, replace: inner.replace, set: (k, v, t) => (sets.push(k), inner.set(k, v, t)) }),
    });
    const a = await s.sessions.create({ openid: 'oNoTouch', sessionKey: sessionKey() });
    s.clock.now += RENEW_AFTER * 1000;
    sets.length = 0;
    await s.sessions.resolve(a.token, true);
    expect(sets).toEqual([`${APP}:u:oNoTouch`]);
    expect(indexOf(s, 'oNoTouch')).toEqual([hashToken(a.token)]);
  });

  it("is changed under the openid's lock, freed after", async () => {
    const adds: [string, number][] = [];
    const s = setup({ store: (inner) => ({ ...inner, add: (k, v, t) => (adds.push([k, t]), inner.add(k, v, t)) }) });
    await s.sessions.create({ openid: 'oLocked', sessionKey: sessionKey() });
    await s.sessions.revokeAll('oLocked');
    expect(adds).toEqual([
      [`${APP}:l:oLocked`, 5],
      [`${APP}:l:oLocked`, 5],
    ]);
    expect(s.inner.get(`${APP}:l:oLocked`)).toBeUndefined();
  });

  it("lets a login and a revoke-all of the same openid take turns, never leaving the login's session alive past the revoke", async () => {
    const s = setup({ maxSessionsPerUser: 10 });
    const first = await s.sessions.create({ openid: 'oRace', sessionKey: sessionKey() });
    const [raced, ended] = await Promise.all([s.sessions.create({ openid: 'oRace', sessionKey: sessionKey() }), s.sessions.revokeAll('oRace')]);
    expect([1, 2]).toContain(ended);
    const left = indexOf(s, 'oRace');
    expect(left).toEqual(ended === 2 ? [] : [hashToken(raced.token)]);
    expect(await codeOf(s.sessions.resolve(first.token, false))).toBe('WECHAT_SESSION_INVALID');
  });
});
