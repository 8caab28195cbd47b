import type { IncomingMessage } from 'node:http';
import { badRequest, WechatError } from '../errors.js';
import { parseJsonObject } from '../json.js';

export type Fields = Record<string, unknown>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Media type and charset of a Content-Type header. */
function contentType(req: IncomingMessage): { type: string; charset?: string } {
  const header = req.headers['content-type'];
  if (!header) return { type: '' };
  const [type, ...params] = header.split(';');
  const charset = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='));
  return { type: type!.trim().toLowerCase(), charset: charset?.slice(8).replace(/"/g, '') };
}

/**
 * Most `name=value` pairs a form body may carry. Our routes read at most
 * seven fields; a body with more is refused before its pairs are collected,
 * so the work per body stays a fixed number of steps past URL decoding.
 */
export const MAX_FORM_FIELDS = 64;

/** A form body's fields; a name sent more than once holds the array of its values (refused later as not a single string). */
function parseForm(text: string): Fields {
  const fields: Fields = Object.create(null) as Fields;
  const pairs = new URLSearchParams(text);
  if (pairs.size > MAX_FORM_FIELDS) throw badRequest('body', `The body has more than ${MAX_FORM_FIELDS} fields`);
  for (const [name, value] of pairs) {
    const seen = fields[name];
    if (seen === undefined) fields[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else fields[name] = [seen, value];
  }
  return fields;
}

function parseText(text: string, type: string): Fields {
  if (type === 'application/json' || type.endsWith('+json')) {
    const parsed = parseJsonObject(text);
    if (!parsed) throw badRequest('body', 'The body must be a JSON object');
    return parsed;
  }
  if (type === 'application/x-www-form-urlencoded') return parseForm(text);
  if (type === '' && text.trim() === '') return Object.create(null) as Fields;
  throw badRequest('body', 'Send the body as application/json or application/x-www-form-urlencoded');
}

function decode(bytes: Buffer, charset: string | undefined): string {
  if (charset && charset !== 'utf-8' && charset !== 'utf8') throw badRequest('body', 'The body must be UTF-8');
  try {
    return utf8.decode(bytes);
  } catch {
    throw badRequest('body', 'The body is not valid UTF-8');
  }
}

function readStream(req: IncomingMessage, limit: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (err?: WechatError) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted).off('close', onAborted);
      if (err) {
        chunks.length = 0;
        req.resume(); // discard whatever still arrives until the answer is out and the connection closes
        reject(err);
      } else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(new WechatError('WECHAT_BODY_TOO_LARGE', `The body is larger than ${limit} bytes`));
      else chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = () => finish(badRequest('body', 'The body could not be read'));
    const onAborted = () => finish(badRequest('body', 'The client abandoned the body'));
    const timer = setTimeout(() => finish(new WechatError('WECHAT_REQUEST_TIMEOUT', `The body did not arrive within ${timeoutMs} ms`)), timeoutMs);
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted).on('close', onAborted); // a close before 'end' (which removes it) leaves the body unfinished
  });
}

/**
 * The request's fields: from a body parser that already ran, or read and
 * parsed here (JSON or form-encoded, UTF-8, at most `limit` bytes, in full
 * within `timeoutMs`).
 */
export async function readFields(req: IncomingMessage & { body?: unknown }, limit: number, timeoutMs: number): Promise<Fields> {
  const { body } = req;
  const { type, charset } = contentType(req);
  if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body) && !unreadPlaceholder(req, body)) return body as Fields;
  if (typeof body === 'string') return parseText(body, type);
  if (Buffer.isBuffer(body)) return parseText(decode(body, charset), type);
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') throw badRequest('body', 'The body must be sent without a Content-Encoding');
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw new WechatError('WECHAT_BODY_TOO_LARGE', `The body is larger than ${limit} bytes`);
  if (req.readableEnded) return Object.create(null) as Fields;
  return parseText(decode(await readStream(req, limit, timeoutMs), charset), type);
}

/**
 * Express 4's parsers set `req.body = {}` for a body they do not parse
 * (`express.json()` meeting a form) and leave the stream unread; Express 5's
 * leave `req.body` undefined. An empty object over a body nobody read is
 * such a placeholder: the body is read here instead.
 */
function unreadPlaceholder(req: IncomingMessage & { _body?: unknown }, body: object): boolean {
  return req._body !== true && !req.readableEnded && req.readableFlowing !== true && Object.keys(body).length === 0;
}

/** A required string field, trimmed of nothing, checked against `shape`. */
export function stringField(fields: Fields, name: string, shape: RegExp, what: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || value === '') throw badRequest(name, `\`${name}\` is required: one non-empty string`);
  if (!shape.test(value)) throw badRequest(name, `\`${name}\` must be ${what}`);
  return value;
}

/** An optional string field: `undefined` when absent, 400 when present but not a string. */
export function optionalString(fields: Fields, name: string, maxLength = 8192): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > maxLength) throw badRequest(name, `\`${name}\` must be a string of at most ${maxLength} characters`);
  return value;
}
