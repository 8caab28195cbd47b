/**
 * The rows measured outside HTTP: session sizes (memory store heap, Redis
 * bytes) and legacy phone decryption speed, each in a process pinned to the
 * measured core.
 */
import type { DecryptResult, SizeResult } from './checks.js';
import { MEASURED_CORE, pin, startChild, type ChildHandle } from './child.js';
import type { BenchSettings } from './settings.js';
import { median } from './stats.js';

async function pinned(script: string, pinning: boolean, exposeGc = false): Promise<ChildHandle> {
  const child = await startChild(script, [], { exposeGc });
  if (pinning) pin(child.pid, MEASURED_CORE);
  return child;
}

/**
 * Heap per live session in the memory store, and Redis bytes per session.
 *
 * @example
 * ```ts
 * const size = await measureSizes(settings, 'redis://127.0.0.1:6379', true);
 * ```
 */
export async function measureSizes(settings: BenchSettings, redisUrl: string, pinning: boolean): Promise<SizeResult> {
  const child = await pinned('size-process.ts', pinning, true);
  const sessions = settings.sessions;
  try {
    const memory = await child.ask<{ bytesPerSession: number; entries: number }>({ type: 'memory', sessions });
    const redis = await child.ask<{ sessionKeyBytes: number; indexKeyBytes: number; infoBytesPerSession: number }>({
      type: 'redis', sessions, redisUrl,
    });
    return { memory: { ...memory, sessions }, redis: { ...redis, sessions } };
  } catch (error) {
    return { failed: error instanceof Error ? error.message : String(error) };
  } finally {
    await child.close();
  }
}

/**
 * Operations per second of the library's decryption and of the reference,
 * in alternating slices (medians).
 *
 * @example
 * ```ts
 * const { oursOps, referenceOps } = await measureDecrypt(settings, true);
 * ```
 */
export async function measureDecrypt(settings: BenchSettings, pinning: boolean): Promise<DecryptResult> {
  const child = await pinned('decrypt-process.ts', pinning);
  const slice = settings.quick ? 0.2 : 0.5;
  const samples: Record<'ours' | 'reference', number[]> = { ours: [], reference: [] };
  try {
    for (const impl of ['ours', 'reference'] as const) await child.ask({ type: 'slice', impl, seconds: slice });
    for (let round = 0; round < Math.max(3, settings.rounds); round += 1) {
      const order = round % 2 === 0 ? (['ours', 'reference'] as const) : (['reference', 'ours'] as const);
      for (const impl of order) samples[impl].push(await child.ask<number>({ type: 'slice', impl, seconds: slice }));
    }
  } finally {
    await child.close();
  }
  return { oursOps: median(samples.ours), referenceOps: median(samples.reference) };
}

/** The stores of the in-process lookup rows, as middleware-process.ts names them. */
export const LOOKUP_KINDS = ['memory', 'redis', 'redis-csc'] as const;
export type LookupKind = (typeof LOOKUP_KINDS)[number];
export type LookupResult = Partial<Record<LookupKind, { ours: number; hand: number }>>;

/**
 * CPU µs per request of `requireWechatSession` alone and of the least
 * hand-written lookup on the same store, in process (no HTTP), in
 * alternating slices (medians).
 *
 * @example
 * ```ts
 * const lookups = await measureLookups(settings, 'redis://127.0.0.1:6379', true);
 * ```
 */
export async function measureLookups(settings: BenchSettings, redisUrl: string, pinning: boolean): Promise<LookupResult> {
  const child = await pinned('middleware-process.ts', pinning);
  const scale = settings.quick ? 0.2 : 1;
  const result: LookupResult = {};
  try {
    for (const kind of LOOKUP_KINDS) {
      const calls = Math.round((kind === 'memory' ? 200_000 : 30_000) * scale);
      const ask = (impl: 'ours' | 'hand') => child.ask<number>({ type: 'slice', kind, impl, calls, redisUrl });
      await ask('ours');
      await ask('hand');
      const samples = { ours: [] as number[], hand: [] as number[] };
      for (let round = 0; round < Math.max(5, settings.rounds); round += 1) {
        const order = round % 2 === 0 ? (['ours', 'hand'] as const) : (['hand', 'ours'] as const);
        for (const impl of order) samples[impl].push(await ask(impl));
      }
      result[kind] = { ours: median(samples.ours), hand: median(samples.hand) };
    }
    await child.ask({ type: 'close' });
  } finally {
    await child.close();
  }
  return result;
}
