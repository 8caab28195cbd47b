import { randomBytes } from 'node:crypto';
import { startHarness, type Harness } from '../support/harness.js';
import { backendFromEnv, STORE_CASES, type StoreCase, type StoreHandle } from '../stores/store-cases.js';
import { indexKeyOf, openidFor, sessionKeyOf } from './lifecycle-kit.js';

/**
 * A value under a session key that is not one of ours — written around the
 * adapter, straight into the server — reads as a miss (401
 * WECHAT_SESSION_INVALID) with a warning in the log, never as a 500 or 503.
 */

const now = () => Math.floor(Date.now() / 1000);

const FOREIGN: readonly [string, (openid: string) => string][] = [
  ['garbage bytes', () => '\u0000\u00ff{{ not json at all'],
  ['truncated JSON', (o) => `{"v":1,"o":"${o}","k":"`],
  ['JSON of another shape', () => JSON.stringify({ user: 'someone', roles: ['admin'] })],
  ['a JSON array', () => JSON.stringify([1, 2, 3])],
  ['a record of another version', (o) => JSON.stringify({ v: 2, o, k: 'a2V5a2V5a2V5a2V5a2V5aw==', c: now(), r: now() })],
  ['a record with fields of the wrong type', (o) => JSON.stringify({ v: 1, o, k: 42, c: now(), r: now() })],
];

describe.each(STORE_CASES.map((c) => [c.name, c] as const))('values that are not ours: %s', (_name, storeCase: StoreCase) => {
  const prefix = `corrupt-${randomBytes(4).toString('hex')}:`;
  let opened: StoreHandle;
  let app: Harness;

  beforeAll(async () => {
    opened = await storeCase.open(backendFromEnv(), prefix);
    app = await startHarness({ store: opened.store });
  });
  afterAll(async () => {
    await app?.close();
    await opened?.close();
  });

  const warnings = () => app.logs.filter((line) => line.includes('"warn"') && line.includes('store.corrupt'));

  test.each(FOREIGN)('%s under a session key reads as a miss with a warning', async (_label, value) => {
    const openid = openidFor('corrupt');
    const { token } = await app.login({ openid });
    expect((await app.get('/api/me', token)).status).toBe(200);
    await opened.writeRaw(sessionKeyOf(app.options.appId!, token), value(openid));
    const before = warnings().length;
    const res = await app.get('/api/me', token);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_SESSION_INVALID');
    expect(warnings().length).toBe(before + 1);
    expect(app.logs.join('\n')).not.toContain(token);
  });

  test('garbage under an openid index does not stop login, logout or revocation', async () => {
    const openid = openidFor('index');
    await opened.writeRaw(indexKeyOf(app.options.appId!, openid), '\u0000not a list');
    const { token } = await app.login({ openid });
    expect((await app.get('/api/me', token)).status).toBe(200);
    const second = await app.login({ openid });
    expect((await app.get('/api/me', token)).status).toBe(401); // the index was rebuilt: single session holds
    expect((await app.post('/api/logout', {}, second.token)).status).toBe(204);
  });
});
