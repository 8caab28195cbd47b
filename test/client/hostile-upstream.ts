import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the upstream answers a request:
 * - `{ json, delayMs? }`: HTTP 200 with that JSON, after `delayMs`;
 * - `{ redirect, status? }`: a redirect (default 307) to `redirect`;
 * - `{ hugeBytes, declared? }`: a JSON-looking answer of that many bytes,
 *   streamed as the client reads it, with a `Content-Length` when `declared`;
 * - `'hold'`: no answer until `release()`;
 * - `'login'` (the default): a well-formed jscode2session answer for a new openid.
 */
export type UpstreamAnswer =
  | { json: unknown; delayMs?: number }
  | { redirect: string; status?: number }
  | { hugeBytes: number; declared?: boolean }
  | 'hold'
  | 'login';

/** A loopback server that answers the way WeChat never should, and counts what it sees. */
export interface HostileUpstream {
  url: string;
  answer: UpstreamAnswer;
  /** Path of every request, in order. */
  paths: string[];
  /** Body of every request, in order. */
  bodies: string[];
  /** Requests being answered now, and the most there ever were at once. */
  open: number;
  peak: number;
  /** The most connections that were open at once. */
  socketPeak: number;
  /** Body bytes of huge answers written before each ended or its connection closed. */
  hugeWritten: number;
  /** Answer every held request with `answer` (default `'login'`). */
  release(answer?: UpstreamAnswer): void;
  /** Resolves once no request is being answered. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function sendJson(res: ServerResponse, json: unknown): void {
  const text = JSON.stringify(json);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendHuge(res: ServerResponse, bytes: number, declared: boolean, upstream: HostileUpstream): void {
  res.writeHead(200, { 'content-type': 'application/json', ...(declared && { 'content-length': bytes }) });
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let written = 0;
  const pump = (): void => {
    while (written < bytes && !res.destroyed) {
      const piece = chunk.subarray(0, Math.min(chunk.length, bytes - written));
      written += piece.length;
      upstream.hugeWritten += piece.length;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

export async function startHostileUpstream(): Promise<HostileUpstream> {
  const held: ServerResponse[] = [];
  let waiters: (() => void)[] = [];
  let logins = 0;
  const loginAnswer = () => ({ openid: `oUpstream${(logins += 1)}`, session_key: randomBytes(16).toString('base64') });
  const answer = (res: ServerResponse, how: UpstreamAnswer): void => {
    if (how === 'hold') held.push(res);
    else if (how === 'login') sendJson(res, loginAnswer());
    else if ('redirect' in how) {
      res.writeHead(how.status ?? 307, { location: how.redirect, 'content-length': 0 });
      res.end();
    } else if ('hugeBytes' in how) sendHuge(res, how.hugeBytes, how.declared ?? false, upstream);
    else if (how.delayMs) setTimeout(() => sendJson(res, how.json), how.delayMs);
    else sendJson(res, how.json);
  };
  const upstream: HostileUpstream = {
    url: '',
    answer: 'login',
    paths: [],
    bodies: [],
    open: 0,
    peak: 0,
    socketPeak: 0,
    hugeWritten: 0,
    release: (how = 'login') => {
      for (const res of held.splice(0)) answer(res, how);
    },
    idle: () => (upstream.open === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    upstream.open += 1;
    upstream.peak = Math.max(upstream.peak, upstream.open);
    res.on('close', () => {
      upstream.open -= 1;
      if (upstream.open === 0) for (const wake of waiters.splice(0)) wake();
    });
    void readBody(req).then((body) => {
      upstream.paths.push(new URL(req.url ?? '/', 'http://upstream.invalid').pathname);
      upstream.bodies.push(body);
      answer(res, upstream.answer);
    });
  });
  let sockets = 0;
  server.on('connection', (socket) => {
    sockets += 1;
    upstream.socketPeak = Math.max(upstream.socketPeak, sockets);
    socket.on('close', () => (sockets -= 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upstream.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  upstream.close = () =>
    new Promise((resolve) => {
      waiters = [];
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return upstream;
}
