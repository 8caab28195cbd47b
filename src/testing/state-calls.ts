/**
 * Counts of calls, in total and per app or corp.
 */
import { STAND_IN_APIS, type StandInApi } from './types.js';

/** Counts of calls per API, all zero. */
export function zeroCalls(): Record<StandInApi, number> {
  const calls = {} as Record<StandInApi, number>;
  for (const api of STAND_IN_APIS) calls[api] = 0;
  return calls;
}

/** Call counters: one total per API, and one per API for each known app or corp. */
export class CallBook {
  #total = zeroCalls();
  readonly #byApp = new Map<string, Record<StandInApi, number>>();

  /** `ids` are the appids and corpids counted on their own; no others are ever added. */
  readonly #ids: readonly string[];

  constructor(ids: readonly string[]) {
    this.#ids = ids;
    this.reset();
  }

  /** Count a call in the total. */
  count(api: StandInApi): void {
    this.#total[api] += 1;
  }

  /** Count a call for the app or corp it concerns, when that is a known one. */
  countFor(id: string | undefined, api: StandInApi): void {
    const counts = id === undefined ? undefined : this.#byApp.get(id);
    if (counts) counts[api] += 1;
  }

  /** A copy of the totals. */
  totals(): Record<StandInApi, number> {
    return { ...this.#total };
  }

  /** A copy of the per-app counts. */
  perApp(): Record<string, Record<StandInApi, number>> {
    const copy: Record<string, Record<StandInApi, number>> = {};
    for (const [id, counts] of this.#byApp) copy[id] = { ...counts };
    return copy;
  }

  /** Every count back to zero. */
  reset(): void {
    this.#total = zeroCalls();
    for (const id of this.#ids) this.#byApp.set(id, zeroCalls());
  }
}
