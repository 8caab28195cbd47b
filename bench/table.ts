/**
 * Markdown tables for the terminal and the README.
 */
import type { CheckRow } from './checks.js';
import { summary } from './checks.js';
import type { HttpMeasure } from './http-phase.js';
import type { HttpRow } from './rows.js';
import { median, ratio } from './stats.js';

/**
 * A Markdown table with columns padded to line up in a terminal.
 *
 * @example
 * ```ts
 * markdownTable(['a', 'b'], [['1', '2']]);
 * ```
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const num = (n: number, digits: number): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/**
 * One line per server configuration: req/s, CPU per request (median,
 * low-third, best), and the ratios against bare Express: by the same
 * processes' twin, and by the separate bare row (CPU and req/s).
 */
export function configurationTable(rows: readonly HttpRow[], http: Map<string, HttpMeasure>): string {
  const bare = summary(http.get('bare'));
  const body = rows.map((row) => {
    const m = http.get(row.name);
    if (!m) return [row.label, 'not run', '', '', '', '', '', '', '', '', ''];
    if (m.failed) return [row.label, `failed: ${m.failed.slice(0, 60)}`, '', '', '', '', '', '', '', '', ''];
    const s = summary(m);
    const bad = m.non2xx + m.errors;
    return [
      row.label,
      num(s.rps, 0),
      num(s.cpu, 1),
      num(s.cpuLow, 1),
      num(s.cpuBest, 1),
      `${num(s.paired, 2)}×`,
      `${num(ratio(bare.cpuLow, s.cpuLow), 2)}×`,
      `${num(ratio(s.rps, bare.rps), 2)}×`,
      num(median(m.p50), 1),
      `${num(s.foreign, 0)}%`,
      bad === 0 ? '0' : `${bad} (!)`,
    ];
  });
  const header = ['configuration', 'req/s', 'CPU µs/req', 'low-third CPU µs/req', 'best CPU µs/req', 'vs bare twin (low-third CPU, same processes)', 'vs bare row (low-third CPU)', 'vs bare row (req/s)', 'p50 ms', 'other load', 'non-2xx'];
  return markdownTable(header, body);
}

/** The comparisons and sizes with their targets. */
export function checksTable(checks: readonly CheckRow[]): string {
  return markdownTable(
    ['comparison', 'measured', 'detail', 'target', 'stretch target'],
    checks.map((c) => [c.label, c.measured, c.detail, c.target, c.stretch]),
  );
}
