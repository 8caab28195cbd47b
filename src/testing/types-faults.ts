/**
 * Faults a stand-in can be told to answer with.
 */
import type { StandInApi } from './types.js';

/**
 * How faulted calls answer:
 * - `'busy'`: `{"errcode":-1,"errmsg":"system error"}`;
 * - `'slow'`: the normal answer after `delayMs` (default 3000);
 * - `'hang'`: no answer until the stand-in closes;
 * - `'garbage'`: HTTP 200 with an HTML body;
 * - `'http500'`: HTTP 500;
 * - `'reset'`: the socket is destroyed;
 * - `{ errcode, errmsg? }`: that errcode with HTTP 200.
 *
 * @example
 * ```ts
 * standIn.fail({ errcode: 45011 }, { api: 'jscode2session', times: 1 }); // the next login is rate-limited
 * ```
 */
export type StandInFaultMode = 'busy' | 'slow' | 'hang' | 'garbage' | 'http500' | 'reset' | { errcode: number; errmsg?: string };

/**
 * Which calls a fault applies to.
 *
 * @example
 * ```ts
 * standIn.fail('slow', { api: 'getuserphonenumber', delayMs: 6000 }); // past the client's timeout
 * ```
 */
export interface StandInFaultOptions {
  /** Default `'all'`. */
  api?: StandInApi | 'all';
  /** How many calls answer with the fault. Default: every call until `heal()`. */
  times?: number;
  /** Delay of `'slow'`, in milliseconds. Default `3000`. */
  delayMs?: number;
}
