/**
 * Turns measurements into the rows of the comparison table: the measured
 * value, a detail, and each target marked met or missed.
 */
import type { HttpMeasure } from './http-phase.js';
import { HTTP_COMPARISONS, OTHER_CHECKS, OTHER_TARGETS, type Target } from './rows.js';
import type { LookupKind, LookupResult } from './resource-phase.js';
import { lowThird, median, ratio } from './stats.js';

export interface DecryptResult {
  oursOps: number;
  referenceOps: number;
}

export interface SizeResult {
  memory?: { bytesPerSession: number; entries: number; sessions: number };
  redis?: { sessionKeyBytes: number; indexKeyBytes: number; infoBytesPerSession: number; sessions: number };
  failed?: string;
}

export interface CheckRow {
  label: string;
  measured: string;
  detail: string;
  target: string;
  stretch: string;
}

const fixed = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const times = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(2)}×` : 'n/a');

function holds(value: number, target: Target): boolean {
  if (target.op === '>=') return value >= target.value;
  if (target.op === '<=') return value <= target.value;
  return Math.abs(value - target.value) < 0.01;
}

/** `≥ 0.90 met`, `≥ 0.97 MISSED`, or `—` without a target. */
export function mark(value: number, target: Target | undefined, unit = ''): string {
  if (!target) return '—';
  const sign = { '>=': '≥', '<=': '≤', '=': '=' }[target.op];
  const bar = `${sign} ${target.value}${unit}`;
  if (!Number.isFinite(value)) return `${bar} not measured`;
  return `${bar} ${holds(value, target) ? 'met' : 'MISSED'}`;
}

export interface Summary {
  cpu: number;
  cpuBest: number;
  /** Mean CPU µs per request of the lowest third of the runs. */
  cpuLow: number;
  rps: number;
  foreign: number;
  /**
   * Requests per CPU-second relative to bare Express in the same processes:
   * the twin's low-third CPU per request ÷ the configuration's.
   */
  paired: number;
  /** The median over runs of (twin CPU per request ÷ the configuration's) in the run paired with each. */
  pairedMedian: number;
}

/**
 * Median, lowest and low-third CPU µs per request, median req/s, the
 * median CPU share other processes took, and the ratios against the same
 * processes' bare twin, of a measured configuration (NaN when it failed).
 */
export function summary(m: HttpMeasure | undefined): Summary {
  if (!m || m.failed || m.cpuMicrosPerRequest.length === 0) {
    const none = Number.NaN;
    return { cpu: none, cpuBest: none, cpuLow: none, rps: none, foreign: none, paired: none, pairedMedian: none };
  }
  const pairs = m.cpuMicrosPerRequest.map((cpu, i) => ratio(m.twinCpuMicrosPerRequest[i] ?? Number.NaN, cpu));
  const cpuLow = lowThird(m.cpuMicrosPerRequest);
  return {
    cpu: median(m.cpuMicrosPerRequest),
    cpuBest: Math.min(...m.cpuMicrosPerRequest),
    cpuLow,
    rps: median(m.rps),
    foreign: median(m.foreign),
    paired: ratio(lowThird(m.twinCpuMicrosPerRequest), cpuLow),
    pairedMedian: median(pairs),
  };
}

/**
 * How many requests of `subject` one CPU-second serves relative to
 * `baseline`, through the same processes' bare twins: against bare Express,
 * the subject's paired ratio itself (the twin is bare Express); against
 * another configuration, the quotient of both paired ratios. `pick` chooses
 * the estimate (low-third, or median of pairs).
 */
export function pairedRatio(subject: Summary, baseline: Summary, baselineIsBare: boolean, pick: 'paired' | 'pairedMedian' = 'paired'): number {
  return baselineIsBare ? subject[pick] : ratio(subject[pick], baseline[pick]);
}

function httpChecks(http: Map<string, HttpMeasure>): CheckRow[] {
  return HTTP_COMPARISONS.map((c) => {
    const subject = summary(http.get(c.subject));
    const baseline = summary(http.get(c.baseline));
    const measured = pairedRatio(subject, baseline, c.baseline === 'bare');
    return {
      label: c.label,
      measured: times(measured),
      detail: `median of pairs ${times(pairedRatio(subject, baseline, c.baseline === 'bare', 'pairedMedian'))}; ` +
        `separate processes: low-third ${times(ratio(baseline.cpuLow, subject.cpuLow))} (${fixed(subject.cpuLow, 1)} vs ${fixed(baseline.cpuLow, 1)} µs CPU/req), ` +
        `median ${times(ratio(baseline.cpu, subject.cpu))}, by req/s ${times(ratio(subject.rps, baseline.rps))}`,
      target: mark(measured, c.target),
      stretch: mark(measured, c.stretch),
    };
  });
}

function commandRow(label: string, m: HttpMeasure | undefined, key: 'redisCommands' | 'cscCommands'): CheckRow {
  const c = m?.commands;
  const reads = c && c.requests > 0 ? c.reads / c.requests : Number.NaN;
  const writes = c && c.requests > 0 ? c.writes / c.requests : Number.NaN;
  const stretch = OTHER_TARGETS[key]?.stretch;
  // One read and no write (server round trip per request), or none at all with the client-side cache.
  const ok = Number.isFinite(reads) && stretch !== undefined && writes < 0.01 && holds(reads, stretch);
  return {
    label,
    measured: fixed(reads + writes),
    detail: `${fixed(reads)} read + ${fixed(writes)} write per request`,
    target: '—',
    stretch: stretch ? `${stretch.value} read, 0 write ${Number.isFinite(reads) ? (ok ? 'met' : 'MISSED') : 'not measured'}` : '—',
  };
}

function sizeChecks(size: SizeResult): CheckRow[] {
  const mem = size.memory;
  const redis = size.redis;
  const perKey = redis ? redis.sessionKeyBytes : Number.NaN;
  const why = size.failed ? `not measured: ${size.failed}` : '';
  return [
    {
      label: OTHER_CHECKS.memory,
      measured: mem ? `${Math.round(mem.bytesPerSession)} B` : 'n/a',
      detail: mem ? `${mem.sessions} sessions, ${mem.entries} store entries, heap after GC` : why,
      target: '—',
      stretch: '—',
    },
    {
      label: OTHER_CHECKS.redisKey,
      measured: redis ? `${perKey} B` : 'n/a',
      detail: redis ? 'the session record under its token hash, with its expiry' : why,
      target: '—',
      stretch: mark(perKey, OTHER_TARGETS.redisKey?.stretch, ' B'),
    },
    {
      label: OTHER_CHECKS.redisIndex,
      measured: redis ? `${redis.indexKeyBytes} B` : 'n/a',
      detail: redis ? 'one per openid (its session hashes, for revoke-all and single-session), not per session' : why,
      target: '—',
      stretch: '—',
    },
    {
      label: OTHER_CHECKS.redisInfo,
      measured: redis ? `${Math.round(redis.infoBytesPerSession)} B` : 'n/a',
      detail: redis ? `${redis.sessions} sessions` : why,
      target: '—',
      stretch: '—',
    },
  ];
}

const LOOKUP_LABELS: Readonly<Record<LookupKind, string>> = {
  memory: OTHER_CHECKS.lookupMemory,
  redis: OTHER_CHECKS.lookupRedis,
  'redis-csc': OTHER_CHECKS.lookupCsc,
};

/** What `requireWechatSession` costs over the least hand-written lookup on the same store, next to a bare Express request. */
function lookupChecks(lookups: LookupResult, bare: number): CheckRow[] {
  return (Object.keys(LOOKUP_LABELS) as LookupKind[]).map((kind) => {
    const m = lookups[kind];
    const added = m ? m.ours - m.hand : Number.NaN;
    return {
      label: LOOKUP_LABELS[kind],
      measured: m ? `${fixed(added)} µs` : 'n/a',
      detail: m
        ? `requireWechatSession ${fixed(m.ours)} µs vs hand-written ${fixed(m.hand)} µs CPU per request, no HTTP; ` +
          `${fixed((100 * added) / bare, 1)}% of a bare Express request (${fixed(bare, 1)} µs)`
        : 'not measured',
      target: '—',
      stretch: '—',
    };
  });
}

/**
 * Every row of the comparison table, in print order.
 *
 * @example
 * ```ts
 * const rows = buildChecks(http, decrypt, size);
 * ```
 */
export function buildChecks(
  http: Map<string, HttpMeasure>,
  decrypt: DecryptResult | undefined,
  size: SizeResult,
  lookups: LookupResult = {},
): CheckRow[] {
  const decryptRatio = decrypt ? ratio(decrypt.oursOps, decrypt.referenceOps) : Number.NaN;
  return [
    ...httpChecks(http),
    {
      label: OTHER_CHECKS.decrypt,
      measured: times(decryptRatio),
      detail: decrypt ? `${fixed(1e6 / decrypt.oursOps)} µs/op vs ${fixed(1e6 / decrypt.referenceOps)} µs/op reference` : 'not measured',
      target: mark(decryptRatio, OTHER_TARGETS.decrypt?.target),
      stretch: '—',
    },
    ...lookupChecks(lookups, summary(http.get('bare')).cpuLow),
    commandRow(OTHER_CHECKS.redisCommands, http.get('ours-redis'), 'redisCommands'),
    commandRow(OTHER_CHECKS.cscCommands, http.get('ours-redis-csc'), 'cscCommands'),
    ...sizeChecks(size),
  ];
}
