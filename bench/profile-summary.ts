/**
 * Where a profiled server spent its CPU: the functions with the most self
 * time in a `.cpuprofile` (V8's `--cpu-prof` output), as shares of the time
 * it was busy (idle and module loading at start-up left out), for the
 * README and the closing note.
 */
import { readFileSync } from 'node:fs';
import { markdownTable } from './table.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Frames of module loading (start-up, tsx transforming the bench's own files), left out of the summary. */
const LOADING = /^(Module\._load|Module\.require|require|wrapModuleLoad|executeUserEntryPoint|compileForInternalLoader|loadESM|import)$/;

/** Ids of the nodes under a module-loading frame. */
function loadingNodes(nodes: readonly ProfileNode[]): Set<number> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const under = new Set<number>();
  const mark = (id: number): void => {
    if (under.has(id)) return;
    under.add(id);
    for (const child of byId.get(id)?.children ?? []) mark(child);
  };
  for (const n of nodes) if (LOADING.test(n.callFrame.functionName) || n.callFrame.url.includes('/tsx/dist/')) mark(n.id);
  return under;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `file:line` of a frame, the path shortened to its package or its file in this repository. */
function place(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return '(native)';
  const url = frame.url.replace(/^file:\/\//, '');
  const inPackage = /node_modules\/(.*)$/.exec(url)?.[1];
  const short = inPackage ?? url.replace(/^.*\/(src|adapters|bench|lib|internal)\//, '$1/');
  return `${short}:${frame.lineNumber + 1}`;
}

/**
 * The `top` functions by self time in the profile at `file`, with their
 * share of the busy time.
 *
 * @example
 * ```ts
 * const rows = selfTime('/tmp/profiles/ours-memory.cpuprofile', 12);
 * ```
 */
export function selfTime(file: string, top: number): { name: string; where: string; share: number }[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const loading = loadingNodes(profile.nodes);
  const totals = new Map<string, { name: string; where: string; micros: number }>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    const micros = profile.timeDeltas[i] ?? 0;
    if (!frame || frame.functionName === '(idle)' || loading.has(id)) return;
    busy += micros;
    const name = frame.functionName || '(anonymous)';
    const where = place(frame);
    const key = `${name} ${where}`;
    const entry = totals.get(key) ?? { name, where, micros: 0 };
    entry.micros += micros;
    totals.set(key, entry);
  });
  return [...totals.values()]
    .sort((a, b) => b.micros - a.micros)
    .slice(0, top)
    .map((e) => ({ name: e.name, where: e.where, share: busy > 0 ? e.micros / busy : 0 }));
}

/** A Markdown table of {@link selfTime} for one profiled configuration. */
export function profileTable(file: string, top = 15): string {
  const rows = selfTime(file, top).map((r) => [`${(r.share * 100).toFixed(1)}%`, r.name, r.where]);
  return markdownTable(['self time (% of busy)', 'function', 'where'], rows);
}
