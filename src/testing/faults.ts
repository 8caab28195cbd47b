/**
 * Faults the stand-in can be told to answer with, and how each is delivered.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendReply } from './http-io.js';
import { wxError } from './replies.js';
import { STAND_IN_APIS, type StandInApi, type StandInFaultMode, type StandInFaultOptions } from './types.js';

/** A fault picked for one call. */
export interface ActiveFault {
  mode: StandInFaultMode;
  delayMs: number;
}

interface FaultRule extends ActiveFault {
  api: StandInApi | 'all';
  left: number;
}

const NAMED_MODES = new Set(['busy', 'slow', 'hang', 'garbage', 'http500', 'reset']);
const DEFAULT_DELAY_MS = 3000;

function checkMode(mode: unknown): StandInFaultMode {
  if (typeof mode === 'string' && NAMED_MODES.has(mode)) return mode as StandInFaultMode;
  if (mode !== null && typeof mode === 'object') {
    const { errcode, errmsg } = mode as { errcode?: unknown; errmsg?: unknown };
    if (Number.isInteger(errcode) && (errmsg === undefined || typeof errmsg === 'string')) {
      return errmsg === undefined ? { errcode: errcode as number } : { errcode: errcode as number, errmsg };
    }
  }
  throw new TypeError("fault mode must be 'busy', 'slow', 'hang', 'garbage', 'http500', 'reset' or { errcode: number, errmsg?: string }");
}

function checkOptions(opts: StandInFaultOptions): { api: StandInApi | 'all'; left: number; delayMs: number } {
  const api = opts.api ?? 'all';
  if (api !== 'all' && !STAND_IN_APIS.includes(api)) {
    throw new TypeError(`fault api must be 'all' or one of ${STAND_IN_APIS.join(', ')}; got '${String(api)}'`);
  }
  const left = opts.times ?? Infinity;
  if (left !== Infinity && (!Number.isInteger(left) || left < 1)) {
    throw new TypeError(`fault times must be a positive integer; got ${String(opts.times)}`);
  }
  const delayMs = opts.delayMs ?? DEFAULT_DELAY_MS;
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0) {
    throw new TypeError(`fault delayMs must be a non-negative number; got ${String(opts.delayMs)}`);
  }
  return { api, left, delayMs };
}

/** Pending faults; the most recently added matching fault wins. */
export class FaultBook {
  #rules: FaultRule[] = [];

  /** Add a fault (validated; throws TypeError on a wrong mode or option). */
  add(mode: unknown, opts: StandInFaultOptions = {}): void {
    this.#rules.push({ mode: checkMode(mode), ...checkOptions(opts) });
  }

  /** Remove every pending fault. */
  heal(): void {
    this.#rules = [];
  }

  /** The fault for the next call of `api`, if any; uses up one of its `times`. */
  take(api: StandInApi): ActiveFault | undefined {
    for (let i = this.#rules.length - 1; i >= 0; i -= 1) {
      const rule = this.#rules[i];
      if (!rule || (rule.api !== 'all' && rule.api !== api)) continue;
      rule.left -= 1;
      if (rule.left <= 0) this.#rules.splice(i, 1);
      return { mode: rule.mode, delayMs: rule.delayMs };
    }
    return undefined;
  }
}

/** What delivering a fault needs from the server. */
export interface FaultDeps {
  now: () => number;
  /** Run `fn` after `ms`, unless the server closes first. */
  later: (fn: () => void, ms: number) => void;
  /** Answer the call normally. */
  proceed: () => void;
}

const GARBAGE_HTML = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';

function sendText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Deliver `fault` on this request. */
export function deliverFault(fault: ActiveFault, req: IncomingMessage, res: ServerResponse, deps: FaultDeps): void {
  const { mode } = fault;
  if (typeof mode === 'object') {
    const reply = wxError(mode.errcode, deps.now(), mode.errmsg);
    if (mode.errmsg !== undefined) reply.json = { errcode: mode.errcode, errmsg: mode.errmsg };
    sendReply(res, reply);
    return;
  }
  switch (mode) {
    case 'busy':
      sendReply(res, { status: 200, json: { errcode: -1, errmsg: 'system error' } });
      return;
    case 'slow':
      deps.later(deps.proceed, fault.delayMs);
      return;
    case 'hang':
      return;
    case 'garbage':
      sendText(res, 200, GARBAGE_HTML);
      return;
    case 'http500':
      sendText(res, 500, '<html><body><h1>500 Internal Server Error</h1></body></html>');
      return;
    case 'reset':
      req.socket.destroy();
      return;
  }
}
