/** Messages between the soak driver (./run.ts) and the app process (./server.ts). */

/** Event-loop delay since the previous heap measurement, ms. */
export interface LoopDelay {
  maxMs: number;
  p99Ms: number;
}

/** Read an event-loop delay histogram (nanoseconds) as {@link LoopDelay}. */
export function loopDelay(histogram: { max: number; percentile(p: number): number }): LoopDelay {
  return { maxMs: Math.round(histogram.max / 1e6), p99Ms: Math.round(histogram.percentile(99) / 1e6) };
}

/** What the app process needs to start: passed as JSON in SOAK_SERVER. */
export interface ServerSetup {
  appId: string;
  appSecret: string;
  wechatUrl: string;
  redisUrl: string;
  memcachedServers: string;
}

/** Memory stores filled past their bounds, measured after GC. */
export interface MemoryBoundResult {
  /** A store with the default options (100 000 entries, 64 MiB of keys and values), written twice over. */
  defaults: { written: number; kept: number; heapBytes: number; bytesPerEntry: number };
  /** The memory documented for the default store (its default `maxBytes`). */
  documentedBytes: number;
  /** The default store at its bound holds no more heap than documented. */
  withinDocumented: boolean;
  /** A store bounded by `maxBytes` (8 MiB), written three times over: heap held against `maxBytes`. */
  byBytes: { maxBytes: number; written: number; kept: number; heapBytes: number; ratio: number };
}

export type ServerMessage =
  | { type: 'ready'; port: number }
  | { type: 'failed'; message: string }
  | { type: 'heap'; bytes: number; events: Record<string, number>; logLines: Record<string, number>; loop: LoopDelay }
  | { type: 'memory-bound'; result: MemoryBoundResult };
