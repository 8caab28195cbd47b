import { memoryStore } from '../../adapters/memory.js';
import { revokeWechatSessions, type WechatSessionOptions, type WechatStore } from '../../src/index.js';
import type { WechatEventMap } from '../../src/events.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { recordingLogger, startHarness, type Harness } from '../support/harness.js';

/**
 * Lifecycle callbacks (`on`): each fires with its small event object, and
 * a callback that throws or rejects never breaks the request it came from.
 */

type Seen = { [K in keyof WechatEventMap]?: WechatEventMap[K][] };

let wechat: WechatStandIn;
let h: Harness;
let seen: Seen;
let clock: number;
let stalled: boolean;

const push =
  <K extends keyof WechatEventMap>(type: K) =>
  (event: WechatEventMap[K]) => {
    ((seen[type] ??= []) as WechatEventMap[K][]).push(event);
  };

function stallable(inner: WechatStore): WechatStore {
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>) =>
    async (...args: A): Promise<R> =>
      stalled ? new Promise<R>(() => undefined) : fn(...args);
  return {
    get: wrap(inner.get.bind(inner)),
    set: wrap(inner.set.bind(inner)),
    destroy: wrap(inner.destroy.bind(inner)),
    replace: wrap(inner.replace!.bind(inner)),
    touch: wrap(inner.touch!.bind(inner)),
  };
}

beforeAll(async () => {
  wechat = await startWechatStandIn();
});
afterAll(() => wechat.close());
beforeEach(async () => {
  seen = {};
  clock = Date.UTC(2026, 0, 1);
  stalled = false;
  const now = () => clock;
  const on: WechatSessionOptions['on'] = {
    login: push('login'),
    renew: push('renew'),
    logout: push('logout'),
    revoke: push('revoke'),
    sessionKeyMismatch: push('sessionKeyMismatch'),
    upstreamError: push('upstreamError'),
    storeError: push('storeError'),
  };
  h = await startHarness({ now, ttl: 3600, renewAfter: 600, retries: 0, storeTimeout: 100, store: stallable(memoryStore({ now })), on }, wechat);
});
afterEach(() => h.close());

it('tells login, renew, logout and revoke, once each, with openid and nothing secret', async () => {
  const { token, openid } = await h.login({ openid: 'oEvents', unionid: 'uEvents' });
  expect(seen.login).toEqual([{ type: 'login', openid, unionid: 'uEvents', ms: expect.any(Number) }]);
  clock += 601_000;
  expect((await h.get('/api/me', token)).status).toBe(200);
  expect((await h.get('/api/me', token)).status).toBe(200);
  expect(seen.renew).toEqual([{ type: 'renew', openid }]);
  const second = await h.login({ openid });
  expect(seen.revoke).toEqual([{ type: 'revoke', openid, sessions: 1, reason: 'newLogin' }]);
  expect((await h.post('/wechat/logout', {}, second.token)).status).toBe(204);
  expect(seen.logout).toEqual([{ type: 'logout', openid }]);
  await h.login({ openid });
  await revokeWechatSessions(h.options, openid);
  expect(seen.revoke!.at(-1)).toEqual({ type: 'revoke', openid, sessions: 1, reason: 'revokeAll' });
  expect(JSON.stringify(seen)).not.toContain(token);
});

it('tells a session_key mismatch in both legacy flows', async () => {
  const { token, openid } = await h.login({ openid: 'oMismatch' });
  wechat.issueLoginCode({ openid });
  await h.post('/api/phone', wechat.encryptPhone(openid), token);
  const info = wechat.encryptUserInfo(openid);
  await h.post('/wechat/login', { code: wechat.issueLoginCode({ openid }), encryptedData: info.encryptedData, iv: info.iv });
  expect(seen.sessionKeyMismatch).toEqual([
    { type: 'sessionKeyMismatch', openid, flow: 'phone' },
    { type: 'sessionKeyMismatch', openid, flow: 'userInfo' },
  ]);
});

it('tells WeChat failures with the code, errcode and API, but not client mistakes', async () => {
  await h.post('/wechat/login', { code: 'never-issued' });
  expect(seen.upstreamError).toBeUndefined();
  wechat.fail('busy', { api: 'jscode2session', times: 1 });
  expect((await h.post('/wechat/login', { code: wechat.issueLoginCode() })).status).toBe(502);
  expect(seen.upstreamError).toEqual([{ type: 'upstreamError', code: 'WECHAT_UPSTREAM_ERROR', errcode: -1, api: 'jscode2session', ms: expect.any(Number) }]);
});

it('tells store failures with the operation and whether it timed out', async () => {
  const { token } = await h.login();
  stalled = true;
  expect((await h.get('/api/me', token)).status).toBe(503);
  expect(seen.storeError).toEqual([{ type: 'storeError', operation: 'get', timedOut: true, cause: expect.stringMatching(/^StoreTimeout: /) }]);
});

it('keeps answering when a callback throws or rejects, and logs that it did', async () => {
  const logs: string[] = [];
  const boom = () => {
    throw new Error('callback failed');
  };
  const reject = () => Promise.reject(new Error('callback rejected'));
  const h2 = await startHarness({ on: { login: boom, logout: reject, renew: boom }, logger: recordingLogger(logs) }, wechat);
  try {
    const { token } = await h2.login();
    expect((await h2.get('/api/me', token)).status).toBe(200);
    expect((await h2.post('/wechat/logout', {}, token)).status).toBe(204);
    await new Promise((r) => setImmediate(r));
    const failed = logs.map((l) => JSON.parse(l)).filter((l) => l.event === 'hook.failed');
    expect(failed.map((l) => l.hook).sort()).toEqual(['login', 'logout']);
  } finally {
    await h2.close();
  }
});

it.each([
  ['an unknown event', { nope: () => undefined }],
  ['a callback that is not a function', { login: 'yes' }],
  ['a list', []],
])('refuses `on` with %s at start-up', async (_what, on) => {
  await expect(startHarness({ on: on as never }, wechat)).rejects.toThrow(TypeError);
});

it.each([0, -1, '3s', 1.5])('refuses bodyTimeout %p at start-up', async (bodyTimeout) => {
  await expect(startHarness({ bodyTimeout: bodyTimeout as never }, wechat)).rejects.toThrow(/bodyTimeout/);
});
