import type { IncomingMessage } from 'node:http';
import { WechatError } from '../errors.js';
import { isTokenShaped } from '../session/token.js';

export interface TokenTransport {
  bearer: boolean;
  /** Lower-case header name, or undefined for none. */
  tokenHeader: string | undefined;
}

const BEARER = /^Bearer +([^\s,]+) *$/i;
const OWS = /^[ \t]+|[ \t]+$/g;

/** The first value of each token-carrying header, and how many times each came. */
interface Carried {
  authorization: string | undefined;
  authorizations: number;
  header: string | undefined;
  headers: number;
}

/** Whether raw header name `raw` is `lower` (lower-case); `usual` is a spelling compared before lower-casing. */
function sameName(raw: string, lower: string, usual = lower): boolean {
  return raw === lower || raw === usual || raw.toLowerCase() === lower;
}

/**
 * One pass over the raw headers (Node keeps only the first Authorization
 * and joins repeats of other headers, so repeats are counted here), with no
 * read of `req.headers`: on a request whose prototype Express swapped, every
 * property read costs a lookup, and this is the hot path of every request.
 */
function carried(raw: string[], transport: TokenTransport): Carried {
  const found: Carried = { authorization: undefined, authorizations: 0, header: undefined, headers: 0 };
  const { bearer, tokenHeader } = transport;
  const headerLength = tokenHeader === undefined ? -1 : tokenHeader.length;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (bearer && name.length === 13 && sameName(name, 'authorization', 'Authorization')) {
      if (found.authorizations++ === 0) found.authorization = raw[i + 1];
    } else if (name.length === headerLength && sameName(name, tokenHeader!)) {
      if (found.headers++ === 0) found.header = raw[i + 1];
    }
  }
  return found;
}

/** The same from `req.headers` alone, for request objects built by hand (test doubles) that have no raw headers. */
function carriedParsed(req: IncomingMessage, transport: TokenTransport): Carried {
  const headers = req.headers ?? {};
  const authorization = transport.bearer ? headers.authorization : undefined;
  const header = transport.tokenHeader === undefined ? undefined : headers[transport.tokenHeader];
  return {
    authorization,
    authorizations: authorization === undefined ? 0 : 1,
    header: Array.isArray(header) ? header[0] : header,
    headers: header === undefined ? 0 : Array.isArray(header) ? header.length : 1,
  };
}

/** `Bearer <token>` with one space and a token-shaped value, the usual header: taken without the general pattern. */
function plainBearer(authorization: string): string | undefined {
  if (!authorization.startsWith('Bearer ')) return undefined;
  const token = authorization.slice(7);
  return isTokenShaped(token) ? token : undefined;
}

function bearerToken(authorization: string): string | undefined {
  const plain = plainBearer(authorization);
  if (plain !== undefined) return plain;
  const match = BEARER.exec(authorization);
  if (match) return match[1];
  if (/^Bearer\b/i.test(authorization)) throw new WechatError('WECHAT_SESSION_INVALID', 'The Authorization header is malformed');
  return undefined;
}

/** A header value without HTTP's own whitespace (space, tab) around it; String#trim would also drop NBSP and friends. */
function withoutOws(value: string): string {
  const last = value.length - 1;
  if (last < 0) return value;
  const first = value.charCodeAt(0);
  const end = value.charCodeAt(last);
  return first === 32 || first === 9 || end === 32 || end === 9 ? value.replace(OWS, '') : value;
}

/**
 * The session token a request carries: `Authorization: Bearer <token>` and/or
 * the token header. A repeated header, or two different tokens in one
 * request, is refused. Resolves `undefined` when there is none.
 */
export function extractToken(req: IncomingMessage, transport: TokenTransport): string | undefined {
  const raw = req.rawHeaders;
  const found = Array.isArray(raw) ? carried(raw, transport) : carriedParsed(req, transport);
  if (found.authorizations > 1) throw new WechatError('WECHAT_SESSION_INVALID', 'The Authorization header is repeated');
  if (found.headers > 1) throw new WechatError('WECHAT_SESSION_INVALID', 'The session header is repeated');
  const fromBearer = found.authorization === undefined ? undefined : bearerToken(found.authorization);
  const fromHeader = found.header === undefined ? undefined : withoutOws(found.header) || undefined;
  if (fromBearer !== undefined && fromHeader !== undefined && fromBearer !== fromHeader) {
    throw new WechatError('WECHAT_SESSION_INVALID', 'The request carries two different session tokens');
  }
  return fromBearer ?? fromHeader;
}
