import type { Operation } from './config.js';
import { graceMs, type FaultWindow, type StoreName } from './faults.js';

/** One answer, as the driver saw it. */
export interface Answer {
  op: Operation;
  store: StoreName;
  /** performance.now() when sent and when answered. */
  sent: number;
  answered: number;
  /** HTTP status; 0 when no answer came (a hang). */
  status: number;
  code?: string;
  /** The session was issued before its store lost its data (a killed server): a 401 is then expected. */
  sessionLostByStore: boolean;
}

const WECHAT_OPS: ReadonlySet<Operation> = new Set(['login', 'phoneCode']);

/**
 * The error table: which `status code` answers each fault explains for an
 * operation on a store. Anything else but a 2xx is outside the table.
 */
export function explained(fault: FaultWindow, op: Operation, store: StoreName): readonly string[] {
  switch (fault.kind) {
    case 'wechat-busy':
    case 'wechat-garbage':
      return WECHAT_OPS.has(op) ? ['502 WECHAT_UPSTREAM_ERROR'] : [];
    case 'wechat-hang':
      return WECHAT_OPS.has(op) ? ['504 WECHAT_UPSTREAM_TIMEOUT'] : [];
    case 'wechat-slow':
      return []; // slower than usual, but within every timeout: only successes
    case 'store-stall':
    case 'store-drop':
    case 'store-restart':
      return fault.store === store ? ['503 WECHAT_STORE_UNAVAILABLE'] : [];
  }
}

/** Faults whose window (grace included) overlaps the time the request was out. */
export function faultsDuring(answer: Answer, faults: readonly FaultWindow[]): FaultWindow[] {
  return faults.filter((f) => f.start <= answer.answered && (f.end === undefined ? Infinity : f.end + graceMs(f.kind)) >= answer.sent);
}

/** Whether the answer is a success or an error the table explains for the faults active while it was out. */
export function withinTable(answer: Answer, faults: readonly FaultWindow[]): boolean {
  if (answer.status >= 200 && answer.status < 300) return true;
  if (answer.status === 401 && answer.code === 'WECHAT_SESSION_INVALID' && answer.sessionLostByStore && answer.op !== 'login') return true;
  const key = `${answer.status} ${answer.code}`;
  return faultsDuring(answer, faults).some((f) => explained(f, answer.op, answer.store).includes(key));
}
