import { boundMs, LIBRARY, OPERATIONS, type Operation } from './config.js';
import type { FaultKind } from './faults.js';
import type { LoopDelay, MemoryBoundResult } from './protocol.js';
import type { Answer } from './table.js';

/** What a soak run found. */
export interface SoakReport {
  seconds: number;
  usersPerStore: number;
  requests: number;
  /** Per operation: sent, successes, the slowest answer and the bound the timeouts allow. */
  operations: Record<Operation, { sent: number; ok: number; maxMs: number; boundMs: number }>;
  /** Answers by `store op status code`. */
  answers: Record<string, number>;
  faultsInjected: number;
  faultsByKind: Partial<Record<FaultKind, number>>;
  /** Answers neither 2xx nor explained by the fault active at the time (must be 0). */
  outsideTable: number;
  outsideSamples: string[];
  /** Requests that got no answer at all within their bound + 5 s (must be 0). */
  hangs: number;
  /** Answers slower than the timeouts allow (must be 0). */
  overBound: number;
  /** Sessions checked after stalls and dropped connections, and at the end; how many were gone (must be 0). */
  sessionsChecked: number;
  sessionsLost: number;
  heap: { startBytes: number; endBytes: number; growthBytes: number };
  /** Event-loop delay during the faults, in the app and in the traffic generator, ms. */
  eventLoop: { app: LoopDelay; driver: LoopDelay };
  memoryStore: MemoryBoundResult;
  /** Lifecycle events the app saw, and its log lines by level and event. */
  events: Record<string, number>;
  logLines: Record<string, number>;
  timeouts: typeof LIBRARY;
}

/** Counters filled while the run goes. */
export class Tally {
  requests = 0;
  outside = 0;
  hangs = 0;
  overBound = 0;
  readonly samples: string[] = [];
  readonly answers: Record<string, number> = {};
  readonly operations = Object.fromEntries(OPERATIONS.map((op) => [op, { sent: 0, ok: 0, maxMs: 0, boundMs: boundMs(op) }])) as SoakReport['operations'];

  add(answer: Answer, inTable: boolean, faultNames: string): void {
    this.requests++;
    const ms = answer.answered - answer.sent;
    const op = this.operations[answer.op];
    op.sent++;
    if (answer.status >= 200 && answer.status < 300) op.ok++;
    if (answer.status !== 0) op.maxMs = Math.max(op.maxMs, Math.round(ms));
    if (answer.status === 0) this.hangs++;
    else if (ms > op.boundMs) this.overBound++;
    const key = `${answer.store} ${answer.op} ${answer.status} ${answer.code ?? ''}`.trim();
    this.answers[key] = (this.answers[key] ?? 0) + 1;
    if (!inTable) {
      this.outside++;
      if (this.samples.length < 20) this.samples.push(`${key} after ${Math.round(ms)} ms during [${faultNames}]`);
    }
  }
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The report as a few lines for a person. */
export function formatReport(r: SoakReport): string {
  const ops = OPERATIONS.map((op) => {
    const o = r.operations[op];
    return `  ${op.padEnd(12)} sent ${String(o.sent).padStart(7)}  ok ${String(o.ok).padStart(7)}  max ${String(o.maxMs).padStart(5)} ms (bound ${o.boundMs} ms)`;
  });
  const faults = Object.entries(r.faultsByKind).map(([k, n]) => `${k} ×${n}`).join(', ');
  const m = r.memoryStore;
  return [
    `soak: ${r.seconds} s, ${r.usersPerStore} users on Redis and ${r.usersPerStore} on Memcached`,
    `requests sent: ${r.requests}`,
    ...ops,
    `faults injected: ${r.faultsInjected} (${faults})`,
    `answers outside the table: ${r.outsideTable}${r.outsideSamples.length ? `\n    ${r.outsideSamples.join('\n    ')}` : ''}`,
    `hangs: ${r.hangs}; answers over their bound: ${r.overBound}`,
    `sessions checked after stalls/drops and at the end: ${r.sessionsChecked}; lost: ${r.sessionsLost}`,
    `event-loop delay: app max ${r.eventLoop.app.maxMs} ms (p99 ${r.eventLoop.app.p99Ms} ms), traffic generator max ${r.eventLoop.driver.maxMs} ms`,
    `heap after GC: start ${mib(r.heap.startBytes)}, end ${mib(r.heap.endBytes)} (growth ${mib(r.heap.growthBytes)})`,
    `memory store at its default bound: ${m.defaults.kept} entries, ${mib(m.defaults.heapBytes)} heap (${m.defaults.bytesPerEntry} B/entry; documented ≤ ${mib(m.documentedBytes)}: ${m.withinDocumented ? 'yes' : 'NO'})`,
    `memory store bounded by maxBytes ${mib(m.byBytes.maxBytes)}: ${m.byBytes.kept} entries, ${mib(m.byBytes.heapBytes)} heap (${m.byBytes.ratio}× maxBytes)`,
    `events: ${Object.entries(r.events).map(([k, n]) => `${k} ${n}`).join(', ')}`,
  ].join('\n');
}

/** The properties a run must hold; each failed one named. */
export function failures(r: SoakReport, maxHeapGrowthBytes: number): string[] {
  const failed: string[] = [];
  if (r.outsideTable !== 0) failed.push(`${r.outsideTable} answers outside the table`);
  if (r.hangs !== 0) failed.push(`${r.hangs} requests hung`);
  if (r.overBound !== 0) failed.push(`${r.overBound} answers slower than the timeouts allow`);
  if (r.sessionsLost !== 0) failed.push(`${r.sessionsLost} sessions lost`);
  if (r.heap.growthBytes > maxHeapGrowthBytes) failed.push(`heap grew by ${mib(r.heap.growthBytes)}`);
  if (!r.memoryStore.withinDocumented) failed.push('memory store over its documented memory');
  return failed;
}
