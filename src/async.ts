import type { Awaitable } from './store.js';

/** Whether `value` is a promise (or any thenable) rather than the value itself. */
export function isThenable<T>(value: Awaitable<T>): value is PromiseLike<T> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<T>).then === 'function';
}

/** `work`, or the rejection `timedOut()` makes when it has not settled within `ms`; the timer never outlives it. */
export async function withTimeout<T>(work: PromiseLike<T>, ms: number, timedOut: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
