import { randomBytes } from 'node:crypto';
import { memoryStore, type MemoryStore } from '../adapters/memory.js';
import { encodeRecord, RECORD_VERSION } from '../src/session/record.js';
import { createToken, hashToken } from '../src/session/token.js';
import type { MemoryBoundResult } from './protocol.js';

const APP_ID = 'wx0000000000standin';

/** Write `count` sessions as the library writes them: the record, and the openid's index. */
function fill(store: MemoryStore, count: number): void {
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < count; i++) {
    const openid = `o${randomBytes(21).toString('base64url')}`;
    const hash = hashToken(createToken());
    const record = { v: RECORD_VERSION, o: openid, k: randomBytes(16).toString('base64'), c: now, r: now } as const;
    void store.set(`${APP_ID}:s:${hash}`, encodeRecord(record), 3600);
    void store.set(`${APP_ID}:u:${openid}`, JSON.stringify([hash]), 3600);
  }
}

async function held(settledHeap: () => Promise<number>, build: () => MemoryStore): Promise<{ store: MemoryStore; bytes: number }> {
  const before = await settledHeap();
  const store = build();
  return { store, bytes: (await settledHeap()) - before };
}

/**
 * Fill memory stores far past their bounds (entries, then bytes) and
 * measure the heap they hold after GC: however much is written, the store
 * holds what its bound allows and no more.
 *
 * @example
 * ```ts
 * const result = await measureMemoryBound(async () => (gc!(), process.memoryUsage().heapUsed));
 * ```
 */
export async function measureMemoryBound(settledHeap: () => Promise<number>): Promise<MemoryBoundResult> {
  const maxBytes = 8 * 1024 * 1024;
  const written = 40_000; // about twice what fits in 8 MiB (two entries per session)
  const bytes = await held(settledHeap, () => {
    const store = memoryStore({ maxBytes });
    fill(store, written);
    return store;
  });
  const max = 100_000; // the default bound, by entries: written past it (two entries per session)
  const entries = await held(settledHeap, () => {
    const store = memoryStore();
    fill(store, max * 0.6);
    return store;
  });
  const documentedBytes = 64 * 1024 * 1024;
  const result: MemoryBoundResult = {
    defaults: { written: max * 1.2, kept: entries.store.size, heapBytes: entries.bytes, bytesPerEntry: Math.round(entries.bytes / entries.store.size) },
    documentedBytes,
    withinDocumented: entries.bytes <= documentedBytes,
    byBytes: { maxBytes, written: written * 2, kept: bytes.store.size, heapBytes: bytes.bytes, ratio: Math.round((bytes.bytes / maxBytes) * 100) / 100 },
  };
  bytes.store.clear();
  entries.store.clear();
  return result;
}
