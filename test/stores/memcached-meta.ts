import { exchange } from '../support/probes.js';

/** Remaining TTL of `key` on whichever server holds it, from memcached's meta `mg <key> t`. */
export async function memcachedTtl(servers: readonly string[], key: string): Promise<number> {
  const answers = await Promise.all(servers.map((address) => exchange(Number(address.split(':')[1]), `mg ${key} t\r\n`, (t) => t.includes('\r\n'))));
  const hit = answers.find((a) => a.startsWith('HD'));
  const match = hit?.match(/ t(-?\d+)/);
  if (!match) throw new Error(`memcached holds no ${key}`);
  return Number(match[1]);
}
