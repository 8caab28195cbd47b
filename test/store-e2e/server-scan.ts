import { exchange } from '../support/probes.js';

/** What a server holds: every key under a prefix with its value. */
export type Dump = Map<string, string>;

/** The part of a node-redis v5 client a scan needs. */
export interface ScannableRedis {
  scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string[]>;
  get(key: string): Promise<unknown>;
}

/** The part of a node-redis v5 Cluster a scan needs. */
export interface ScannableCluster {
  readonly masters: readonly unknown[];
  nodeClient(node: never): Promise<unknown>;
}

const text = (reply: unknown): string => (reply === null || reply === undefined ? '' : String(reply));

/** `SCAN … MATCH prefix*` on one Redis node, with each key's value. */
export async function scanRedis(client: ScannableRedis, prefix: string, into: Dump = new Map()): Promise<Dump> {
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    for (const key of keys) into.set(key, text(await client.get(key)));
  }
  return into;
}

/** {@link scanRedis} on every master of a Cluster (each master holds only its own slots). */
export async function scanCluster(cluster: ScannableCluster, prefix: string): Promise<Dump> {
  const dump: Dump = new Map();
  for (const master of cluster.masters) {
    const node = (await cluster.nodeClient(master as never)) as ScannableRedis;
    await scanRedis(node, prefix, dump);
  }
  if (cluster.masters.length < 3) throw new Error(`expected 3 masters, saw ${cluster.masters.length}`);
  return dump;
}

/**
 * Every key memcached at `address` holds, from `lru_crawler metadump hash`:
 * a walk of the hash table, which sees every item. (`metadump all` walks the
 * LRUs and, on a server other suites keep busy, can miss items that move
 * between them meanwhile: half the keys, at times.)
 */
export async function memcachedKeys(address: string): Promise<string[]> {
  const port = Number(address.split(':')[1]);
  const listing = await exchange(port, 'lru_crawler metadump hash\r\n', (t) => /(^|\n)END\r\n$/.test(t) || t.startsWith('ERROR'));
  if (!/(^|\n)END\r\n$/.test(listing)) throw new Error(`memcached ${address} refused metadump: ${listing.slice(0, 80)}`);
  return listing
    .split('\n')
    .map((line) => /^key=(\S+)/.exec(line)?.[1])
    .filter((key): key is string => key !== undefined)
    .map((key) => decodeURIComponent(key));
}

/** Every key under `prefix` on each memcached server, with its value read through `get`. */
export async function scanMemcached(servers: readonly string[], prefix: string, get: (key: string) => Promise<unknown>): Promise<Dump> {
  const dump: Dump = new Map();
  for (const address of servers) {
    for (const key of await memcachedKeys(address)) {
      if (key.startsWith(prefix)) dump.set(key, text(await get(key)));
    }
  }
  return dump;
}
