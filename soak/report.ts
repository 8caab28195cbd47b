/** The counters of a soak run, its report for a person, and the properties it must hold. */
import { boundMs, OPERATIONS, type Operation } from './config.js';
import type { Answer } from './faults.js';
import { MAX_CPU_GROWTH } from './flood.js';
import type { SoakReport } from './main.js';

/** Heap growth past which a run is not flat. */
const MAX_HEAP_GROWTH = 8 * 1024 * 1024;

/** Counters filled while the run goes (their names are the report's). */
export class Tally {
  requests = 0;
  /** Answers neither 2xx nor explained by the fault active at the time, and a few of them. */
  outsideTable = 0;
  readonly outsideSamples: string[] = [];
  /** Requests with no answer within their bound + 5 s, and answers slower than the timeouts allow. */
  hangs = 0;
  overBound = 0;
  /** Answers by `store op status code`. */
  readonly answers: Record<string, number> = {};
  /** Per operation: sent, successes, the slowest answer and the bound the timeouts allow. */
  readonly operations = Object.fromEntries(OPERATIONS.map((op) => [op, { sent: 0, ok: 0, maxMs: 0, boundMs: boundMs(op) }])) as Record<
    Operation,
    { sent: number; ok: number; maxMs: number; boundMs: number }
  >;

  add(answer: Answer, inTable: boolean, faultNames: string): void {
    this.requests++;
    const ms = answer.answered - answer.sent;
    const op = this.operations[answer.op];
    op.sent++;
    if (answer.status >= 200 && answer.status < 300) op.ok++;
    if (answer.status === 0) this.hangs++;
    else {
      op.maxMs = Math.max(op.maxMs, Math.round(ms));
      if (ms > op.boundMs) this.overBound++;
    }
    const key = `${answer.store} ${answer.op} ${answer.status} ${answer.code ?? ''}`.trim();
    this.answers[key] = (this.answers[key] ?? 0) + 1;
    if (inTable) return;
    this.outsideTable++;
    if (this.outsideSamples.length < 20) this.outsideSamples.push(`${key} after ${Math.round(ms)} ms during [${faultNames}]`);
  }
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([k, n]) => `${k} ×${n}`)
    .join(', ');

/** The report as a few lines for a person. */
export function formatReport(r: SoakReport): string {
  const { defaults, byBytes, documentedBytes } = r.memoryStore;
  const f = r.flood;
  return [
    `soak: ${r.seconds} s, ${r.usersPerStore} users on Redis and ${r.usersPerStore} on Memcached; ${r.requests} requests`,
    ...OPERATIONS.map(
      (op) =>
        `  ${op.padEnd(12)} sent ${r.operations[op].sent}, ok ${r.operations[op].ok}, max ${r.operations[op].maxMs} ms (bound ${r.operations[op].boundMs} ms)`,
    ),
    `faults injected: ${r.faultsInjected} (${counts(r.faultsByKind)})`,
    `answers outside the table: ${r.outsideTable}${r.outsideSamples.map((s) => `\n    ${s}`).join('')}`,
    `hangs: ${r.hangs}; answers over their bound: ${r.overBound}; app event-loop delay max ${r.appLoopMaxMs} ms`,
    `sessions checked after stalls/drops and at the end: ${r.sessionsChecked}; lost: ${r.sessionsLost}`,
    `heap after GC: start ${mib(r.heap.startBytes)}, end ${mib(r.heap.endBytes)} (growth ${mib(r.heap.growthBytes)})`,
    `memory store at its default bound: ${defaults.kept} entries, ${mib(defaults.heapBytes)} heap (documented ≤ ${mib(documentedBytes)})`,
    `memory store bounded by maxBytes ${mib(byBytes.maxBytes)}: ${byBytes.kept} of ${byBytes.written} entries kept, ${mib(byBytes.heapBytes)} heap`,
    `login flood: ${f.logins} garbage codes, ${f.concurrency} at a time, WeChat answering after ${f.wechatDelayMs} ms: ${counts(f.answers)}; ` +
      `max ${f.maxMs} ms (bound ${f.boundMs} ms); app CPU per login ${f.cpuPerLoginStart} µs over the first fifth, ${f.cpuPerLoginEnd} µs over the last`,
    `events: ${counts(r.events)}`,
  ].join('\n');
}

/** The properties a run must hold; each failed one named. */
export function failures(r: SoakReport): string[] {
  const f = r.flood;
  return [
    r.outsideTable !== 0 && `${r.outsideTable} answers outside the table`,
    r.hangs !== 0 && `${r.hangs} requests hung`,
    r.overBound !== 0 && `${r.overBound} answers slower than the timeouts allow`,
    r.sessionsLost !== 0 && `${r.sessionsLost} sessions lost`,
    r.heap.growthBytes > MAX_HEAP_GROWTH && `heap grew by ${mib(r.heap.growthBytes)}`,
    !r.memoryStore.withinDocumented && 'memory store over its documented memory',
    f.unexpected !== 0 && `${f.unexpected} flood logins not answered 401 WECHAT_CODE_INVALID`,
    f.maxMs > f.boundMs && `a flood login took ${f.maxMs} ms`,
    !(f.cpuPerLoginEnd <= MAX_CPU_GROWTH * f.cpuPerLoginStart) && `CPU per login grew from ${f.cpuPerLoginStart} to ${f.cpuPerLoginEnd} µs during the flood`,
  ].filter((failure): failure is string => typeof failure === 'string');
}
