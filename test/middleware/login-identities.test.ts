import { memoryStore, type MemoryStore } from '../../adapters/memory.js';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * An openid or unionid from WeChat that is not 1-64 of [A-Za-z0-9_-] makes
 * jscode2session's answer unusable: the login answers 502
 * WECHAT_UPSTREAM_ERROR and the store is left as it was.
 */

let h: Harness;
let store: MemoryStore;
beforeAll(async () => {
  store = memoryStore();
  h = await startHarness({ store });
});
afterAll(() => h.close());

const HOSTILE_IDS: [string, string][] = [
  ['a lock key', 'victim:lock'],
  ['CR/LF', 'oUser\r\nX-Injected: 1'],
  ['a LF alone', 'oUser\nnext'],
  ['NUL', 'oUser\u0000'],
  ['a space', 'oUser Name'],
  ['a slash', 'oUser/../x'],
  ['non-ASCII', 'oUsér'],
  ['65 characters', 'o'.repeat(65)],
  ['1 000 characters', 'o'.repeat(1000)],
  ['100 KB', 'o'.repeat(100_000)],
];

it.each(HOSTILE_IDS)('an openid with %s is refused 502 WECHAT_UPSTREAM_ERROR, nothing stored', async (_what, openid) => {
  const before = store.keys().length;
  const res = await h.post('/wechat/login', { code: h.wechat.issueLoginCode({ openid }) });
  expect(res.status).toBe(502);
  expect(res.body.error.code).toBe('WECHAT_UPSTREAM_ERROR');
  expect(store.keys()).toHaveLength(before);
});

it.each(HOSTILE_IDS)('a unionid with %s is refused 502 WECHAT_UPSTREAM_ERROR, nothing stored', async (_what, unionid) => {
  const before = store.keys().length;
  const res = await h.post('/wechat/login', { code: h.wechat.issueLoginCode({ openid: 'oGoodOpenid', unionid }) });
  expect(res.status).toBe(502);
  expect(res.body.error.code).toBe('WECHAT_UPSTREAM_ERROR');
  expect(store.keys()).toHaveLength(before);
});

it.each([
  ['a real openid', 'oVBkZ0aYgDMDIywRdgPW8-joxXc4', 'or4zX05h_Ykt4ju0TUfx3CQsvfTo'],
  ['64 characters', 'o'.repeat(64), 'u'.repeat(64)],
  ['one character', 'o', undefined],
])('%s logs in', async (_what, openid, unionid) => {
  const res = await h.post('/wechat/login', { code: h.wechat.issueLoginCode({ openid, ...(unionid && { unionid }) }) });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ openid, ...(unionid && { unionid }) });
});
