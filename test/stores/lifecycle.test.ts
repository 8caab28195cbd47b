import { randomBytes } from 'node:crypto';
import { DEFAULT_PREFIX } from '../../src/store.js';
import { backendFromEnv, STORE_CASES, type StoreCase, type StoreHandle } from './store-cases.js';

/**
 * The store contract, run unchanged against every adapter on real servers
 * (started once for the run by the Jest globalSetup).
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const unique = (label: string) => `${label}-${randomBytes(6).toString('hex')}`;

describe.each(STORE_CASES.map((c) => [c.name, c] as const))('store contract: %s', (_name, storeCase: StoreCase) => {
  const prefix = `${unique('t')}:`;
  let handle: StoreHandle;

  beforeAll(async () => {
    handle = await storeCase.open(backendFromEnv(), prefix);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const key = (label: string) => `wx1:s:${unique(label)}`;
  const isMiss = (value: unknown) => value === undefined || value === null;

  test('a missing key reads as a miss (undefined or null), not an error', async () => {
    expect(isMiss(await handle.store.get(key('missing')))).toBe(true);
  });

  test('set then get returns the value; a second set overwrites it', async () => {
    const k = key('set');
    await handle.store.set(k, 'first', 60);
    expect(await handle.store.get(k)).toBe('first');
    await handle.store.set(k, '{"v":2,"o":"openid-ü"}', 60);
    expect(await handle.store.get(k)).toBe('{"v":2,"o":"openid-ü"}');
  });

  test('destroy removes the key; destroying a missing key resolves', async () => {
    const k = key('destroy');
    await handle.store.set(k, 'value', 60);
    await handle.store.destroy(k);
    expect(isMiss(await handle.store.get(k))).toBe(true);
    await expect(Promise.resolve(handle.store.destroy(k))).resolves.toBeUndefined();
    await expect(Promise.resolve(handle.store.destroy(key('never-set')))).resolves.toBeUndefined();
  });

  test('the adapter prefix is applied to the key the server holds', async () => {
    const k = key('prefix');
    await handle.store.set(k, 'prefixed-value', 60);
    expect(await handle.readRaw(k)).toContain('prefixed-value');
    expect(handle.serverKey(k)).toContain(prefix);
    expect(handle.serverKey(k)).not.toContain(DEFAULT_PREFIX);
  });

  test('without a prefix option the default prefix wxs: is used, and prefixes isolate stores', async () => {
    const plain = await storeCase.open(backendFromEnv());
    try {
      const k = key('default-prefix');
      await plain.store.set(k, 'default-prefixed', 60);
      expect(DEFAULT_PREFIX).toBe('wxs:');
      expect(await plain.readRaw(k)).toContain('default-prefixed');
      expect(plain.serverKey(k)).toContain(DEFAULT_PREFIX);
      if (storeCase.uses !== 'none') expect(isMiss(await handle.store.get(k))).toBe(true);
      await plain.store.destroy(k);
    } finally {
      await plain.close();
    }
  });

  test('server TTL matches the TTL given to set and touch', async () => {
    const k = key('server-ttl');
    await handle.store.set(k, 'v', 100);
    if (!handle.serverTtl) return expect(await handle.store.get(k)).toBe('v');
    expect(await handle.serverTtl(k)).toBeGreaterThanOrEqual(99);
    expect(await handle.serverTtl(k)).toBeLessThanOrEqual(100);
    await handle.store.touch?.(k, 500);
    if (handle.store.touch) expect(await handle.serverTtl(k)).toBeGreaterThanOrEqual(499);
    await handle.store.set(k, 'v', 2);
    expect(await handle.serverTtl(k)).toBeGreaterThanOrEqual(1);
    expect(await handle.serverTtl(k)).toBeLessThanOrEqual(2);
  });

  test('a key expires after its TTL; touch extends it; a long TTL outlives the wait', async () => {
    const gone = key('expires');
    const touched = key('touched');
    const kept = key('kept');
    await handle.store.set(gone, 'short', 1);
    await handle.store.set(touched, 'renewed', 1);
    await handle.store.set(kept, 'long', 40 * 24 * 3600); // over 30 days: memcached needs a Unix time here
    if (handle.store.touch) await handle.store.touch(touched, 5);
    else await handle.store.set(touched, 'renewed', 5);
    await handle.store.touch?.(key('touch-missing'), 5);
    await sleep(storeCase.expiryWaitMs);
    expect(isMiss(await handle.store.get(gone))).toBe(true);
    expect(await handle.store.get(touched)).toBe('renewed');
    expect(await handle.store.get(kept)).toBe('long');
    expect(isMiss(await handle.store.get(key('touch-missing')))).toBe(true);
  });

  test('replace overwrites an existing key and never creates a missing one', async () => {
    const { replace } = handle.store;
    if (!replace) return expect(storeCase.name).toMatch(/express-session|connect-redis/);
    const k = key('replace');
    await replace.call(handle.store, k, 'ghost', 60);
    expect(isMiss(await handle.store.get(k))).toBe(true);
    await handle.store.set(k, 'first', 60);
    await replace.call(handle.store, k, 'second', 60);
    expect(await handle.store.get(k)).toBe('second');
  });

  test('add creates a missing key only once', async () => {
    const k = key('add');
    expect(await handle.store.add?.(k, 'owner-a', 60)).toBe(true);
    expect(await handle.store.add?.(k, 'owner-b', 60)).toBe(false);
    expect(await handle.store.get(k)).toBe('owner-a');
  });

  test('of 20 concurrent adds exactly one wins (atomic adapters)', async () => {
    const k = key('add-race');
    const owners = Array.from({ length: 20 }, (_, i) => `owner-${i}`);
    const results = await Promise.all(owners.map((o) => handle.store.add!(k, o, 60)));
    const winners = owners.filter((_, i) => results[i]);
    if (storeCase.atomicAdd) expect(winners).toHaveLength(1);
    else expect(winners.length).toBeGreaterThanOrEqual(1); // best effort: documented as such
    expect(winners).toContain(await handle.store.get(k));
  });

  test('destroyIfEqual removes the key only when it holds the expected value', async () => {
    const k = key('cas');
    await handle.store.set(k, 'lock-owner-1', 60);
    expect(await handle.store.destroyIfEqual?.(k, 'lock-owner-2')).toBe(false);
    expect(await handle.store.get(k)).toBe('lock-owner-1');
    expect(await handle.store.destroyIfEqual?.(k, 'lock-owner-1')).toBe(true);
    expect(isMiss(await handle.store.get(k))).toBe(true);
    expect(await handle.store.destroyIfEqual?.(k, 'lock-owner-1')).toBe(false);
  });

  test('destroyIfEqual reaches the node that holds each key, in every slot of a Cluster', async () => {
    // 200 keys spread over every master: a script sent to a node other than the key's own would come back MOVED.
    const keys = Array.from({ length: 200 }, (_, i) => key(`cas${i}`));
    await Promise.all(keys.map((k) => handle.store.set(k, 'owner', 60)));
    expect(await Promise.all(keys.map((k) => handle.store.destroyIfEqual?.(k, 'owner') ?? true))).toEqual(keys.map(() => true));
    expect((await Promise.all(keys.map((k) => handle.store.get(k)))).every(isMiss)).toBe(true);
  });

  test('long and unusual keys are stored apart and read back', async () => {
    const base = unique('odd');
    const keys = [
      `${base}-${'x'.repeat(300)}`,
      `${base}-${'x'.repeat(299)}y`,
      `${base} with spaces`,
      `${base}\nline\tbreak\u0000nul`,
      `${base}-ünïcødé-键-🔑`,
      `~${base}`,
      `${base}{slot}`,
    ];
    await Promise.all(keys.map((k, i) => handle.store.set(k, `value-${i}`, 60)));
    const values = await Promise.all(keys.map((k) => handle.store.get(k)));
    expect(values).toEqual(keys.map((_, i) => `value-${i}`));
    const raws = await Promise.all(keys.map((k) => handle.readRaw(k)));
    raws.forEach((raw, i) => expect(raw).toContain(`value-${i}`));
    await Promise.all(keys.map((k) => handle.store.destroy(k)));
    expect((await Promise.all(keys.map((k) => handle.store.get(k)))).every(isMiss)).toBe(true);
  });
});
