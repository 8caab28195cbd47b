import { connect } from 'node:net';

/** What came back on a raw connection. */
export interface RawAnswer {
  /** The status of the first answer; undefined when the server closed without answering. */
  status?: number;
  /** Header names lower-cased; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: string;
  /** The connection was closed by the server (after or without an answer). */
  closed: boolean;
  /** Milliseconds from the first byte sent to the answer (or the close). */
  ms: number;
}

export interface RawOptions {
  /** Give up after this long: the answer is then a hang. Default 5000. */
  timeoutMs?: number;
  /** Write these parts one after another, waiting `gapMs` between them. */
  gapMs?: number;
  /** Half-close the connection after the last part (a client that walked away). Default false. */
  endAfterWrite?: boolean;
  /** Resolve as soon as one whole answer is in, without waiting for the close. Default true. */
  firstAnswer?: boolean;
}

/** Thrown when nothing came back in time: the server hung. */
export class RawTimeout extends Error {}

interface Parsed {
  status: number;
  headers: Record<string, string>;
  body: string;
  complete: boolean;
}

function parse(data: Buffer, closed: boolean): Parsed | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const rest = data.subarray(end + 4);
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  if (length !== undefined) {
    return { status, headers, body: rest.subarray(0, length).toString('utf8'), complete: rest.length >= length };
  }
  if (status === 204 || status === 304) return { status, headers, body: '', complete: true };
  return { status, headers, body: rest.toString('utf8'), complete: closed };
}

/**
 * Send raw bytes to 127.0.0.1:`port` and read the answer: for what `fetch`
 * refuses to send (bytes over 0x7f in headers, wrong lengths, repeated
 * headers, bodies cut off or never finished).
 *
 * @example
 * ```ts
 * const answer = await rawRequest(port, [Buffer.from('GET /x HTTP/1.1\r\nHost: a\r\n\r\n')]);
 * ```
 */
export function rawRequest(port: number, parts: Buffer[], options: RawOptions = {}): Promise<RawAnswer> {
  const { timeoutMs = 5000, gapMs = 0, endAfterWrite = false, firstAnswer = true } = options;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      const parsed = parse(Buffer.concat(chunks), closed);
      if (!closed && !(firstAnswer && parsed?.complete)) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const ms = performance.now() - started;
      resolve(parsed ? { status: parsed.status, headers: parsed.headers, body: parsed.body, closed, ms } : { headers: {}, body: '', closed, ms });
    };
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      socket.destroy();
      reject(new RawTimeout(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.once('connect', async () => {
      for (const [i, part] of parts.entries()) {
        if (done || socket.destroyed) return;
        if (i > 0 && gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
        socket.write(part);
      }
      if (endAfterWrite) socket.end();
    });
  });
}

/** Build the head of a request; `headers` values are raw bytes (latin1 strings or buffers). */
export function requestHead(method: string, path: string, headers: [string, string | Buffer][]): Buffer {
  const lines: Buffer[] = [Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`, 'latin1')];
  for (const [name, value] of headers) {
    lines.push(Buffer.from(`${name}: `, 'latin1'), Buffer.isBuffer(value) ? value : Buffer.from(value, 'latin1'), Buffer.from('\r\n'));
  }
  lines.push(Buffer.from('\r\n'));
  return Buffer.concat(lines);
}
