import { randomBytes } from 'node:crypto';
import IoRedis6 from 'ioredis';
import IoRedis5 from 'ioredis5';
import IoValkey from 'iovalkey';
import * as redis6 from 'redis';
import * as redis5 from 'redis5';
import * as redis4 from 'redis4';
import { redisStore, type RedisClientLike } from '../../adapters/redis.js';
import { redisRaw } from '../support/probes.js';
import { backendFromEnv } from './store-cases.js';

/**
 * A failed command reaches the library as the client's own error: the same
 * class the client rejects with when called directly (a reply error for
 * `WRONGTYPE`, the client's closed-connection error), not a replacement.
 */

type Client = RedisClientLike;
interface Opened {
  client: Client;
  close(): Promise<void>;
}

const ignore = (): void => undefined;

function nodeRedis(module: typeof redis6 | typeof redis5 | typeof redis4) {
  return async (url: string): Promise<Opened> => {
    const client = (module as typeof redis6).createClient({ url }).on('error', ignore);
    await client.connect();
    return { client: client as unknown as Client, close: async () => void (await client.disconnect().catch(ignore)) };
  };
}

function ioRedis(Redis: typeof IoRedis6) {
  return async (url: string): Promise<Opened> => {
    const client = new Redis(url).on('error', ignore);
    await new Promise((resolve) => client.once('ready', resolve));
    return { client: client as unknown as Client, close: async () => client.disconnect() };
  };
}

const CLIENTS = [
  ['node-redis 6', nodeRedis(redis6)],
  ['node-redis 5', nodeRedis(redis5)],
  ['node-redis 4', nodeRedis(redis4)],
  ['ioredis 6', ioRedis(IoRedis6)],
  ['ioredis 5', ioRedis(IoRedis5 as unknown as typeof IoRedis6)],
  ['iovalkey', ioRedis(IoValkey as unknown as typeof IoRedis6)],
] as const;

/** The error `promise` rejects with (fails the test when it resolves). */
async function rejection(promise: unknown): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe.each(CLIENTS)("%s: the client's own errors", (_name, open) => {
  test('a reply error (WRONGTYPE) rejects get and destroyIfEqual with the class the client uses', async () => {
    const { redisUrl } = backendFromEnv();
    const { client, close } = await open(redisUrl);
    try {
      const prefix = `err-${randomBytes(4).toString('hex')}:`;
      const store = redisStore({ client, prefix });
      await redisRaw(Number(new URL(redisUrl).port), 'RPUSH', `${prefix}k`, 'a list, not a string');
      const direct = await rejection(client.get(`${prefix}k`));
      const viaGet = await rejection(store.get('k'));
      const viaScript = await rejection(store.destroyIfEqual!('k', 'x'));
      expect(viaGet.constructor).toBe(direct.constructor);
      expect(viaGet.name).toBe(direct.name);
      expect(viaScript).toBeInstanceOf(direct.constructor);
    } finally {
      await close();
    }
  });

  test('a closed client rejects every method with the error the client itself gives', async () => {
    const { client, close } = await open(backendFromEnv().redisUrl);
    const store = redisStore({ client });
    await close();
    const direct = await rejection(client.get('k'));
    const calls = [
      store.get('k'),
      store.set('k', 'v', 60),
      store.replace!('k', 'v', 60),
      store.add!('k', 'v', 60),
      store.touch!('k', 60),
      store.destroy('k'),
      store.destroyIfEqual!('k', 'v'),
    ];
    for (const err of await Promise.all(calls.map(rejection))) expect(err.constructor).toBe(direct.constructor);
  });
});
