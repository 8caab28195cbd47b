/**
 * Reading requests and writing JSON answers with `node:http`, defensively.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body the stand-in reads, in bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/** An answer a route computes: HTTP status and JSON body. */
export interface Reply {
  status: number;
  json: unknown;
  headers?: Record<string, string>;
}

/** The body as text, or `undefined` when it is larger than {@link MAX_BODY_BYTES}. */
export function readBody(req: IncomingMessage): Promise<string | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (value: string | undefined): void => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) finish(undefined);
      else if (!settled) chunks.push(chunk);
    });
    req.on('end', () => finish(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => finish(''));
    req.on('close', () => finish(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Write a JSON answer the way WeChat does (`application/json; encoding=utf-8`). */
export function sendReply(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  if (reply.json === undefined) {
    res.writeHead(reply.status, { 'Content-Length': 0, ...reply.headers });
    res.end();
    return;
  }
  const body = JSON.stringify(reply.json);
  res.writeHead(reply.status, {
    'Content-Type': 'application/json; encoding=utf-8',
    'Content-Length': Buffer.byteLength(body),
    ...reply.headers,
  });
  res.end(body);
}

/** Answer 413 and close the connection once the answer is written, draining what the client still sends. */
export function sendTooLarge(req: IncomingMessage, res: ServerResponse): void {
  sendReply(res, {
    status: 413,
    json: { errcode: -1, errmsg: 'request entity too large' },
    headers: { Connection: 'close' },
  });
  req.resume();
}

/** A string field of a parsed body, or `undefined`. */
export function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' ? value : undefined;
}
