/**
 * The load generator (autocannon over loopback keep-alive connections), in a
 * process of its own pinned to the core the measured servers do not use.
 */
import autocannon from 'autocannon';
import { failStart, serveParent } from './ipc.js';

/** One load run, as the orchestrator asks for it. */
export interface LoadRequest {
  url: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  /** A fixed JSON body, sent with every request. */
  body?: string;
  /** Login codes: each request sends the next one as `{ code }`. */
  codes?: string[];
  duration: number;
  connections: number;
}

export interface LoadResult {
  /** Answers received. */
  responses: number;
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** Login codes left over (too few means the run ran dry). */
  codesLeft?: number;
}

async function runLoad(req: LoadRequest): Promise<LoadResult> {
  const codes = req.codes ?? [];
  let next = 0;
  const headers = { ...req.headers, ...(req.body !== undefined || req.codes ? { 'content-type': 'application/json' } : {}) };
  const request: autocannon.Request = { method: req.method, path: req.path, headers };
  if (req.body !== undefined) request.body = req.body;
  if (req.codes) {
    request.setupRequest = (r: autocannon.Request) => ({ ...r, body: JSON.stringify({ code: codes[next++] ?? 'ran-out-of-codes' }) });
  }
  const result = await autocannon({
    url: req.url,
    connections: req.connections,
    duration: req.duration,
    // Samples every 100 ms (the default 1 s would stretch every run to a whole second).
    sampleInt: 100,
    requests: [request],
  });
  const responses = result.requests.total;
  const seconds = result.duration;
  return {
    responses,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds,
    rps: responses / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ...(req.codes ? { codesLeft: Math.max(0, codes.length - next) } : {}),
  };
}

function main(): void {
  serveParent({}, (request) => {
    if (request.type !== 'run') throw new Error(`unknown request ${String(request.type)}`);
    return runLoad(request as unknown as LoadRequest);
  });
}

try {
  main();
} catch (error) {
  failStart(error);
}
