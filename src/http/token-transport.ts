import type { IncomingMessage } from 'node:http';
import { WechatError } from '../errors.js';

export interface TokenTransport {
  bearer: boolean;
  /** Lower-case header name, or undefined for none. */
  tokenHeader: string | undefined;
}

const BEARER = /^Bearer +([^\s,]+) *$/i;
const OWS = /^[ \t]+|[ \t]+$/g;

/** The first value of each token-carrying header, and which of them came more than once. */
interface Carried {
  authorization: string | undefined;
  header: string | undefined;
  repeated: 'Authorization' | 'session' | undefined;
}

/**
 * One pass over the raw headers (Node keeps only the first Authorization
 * and joins repeats of other headers, so repeats are counted here), with no
 * read of `req.headers`: on a request whose prototype Express swapped, every
 * property read costs a lookup, and this is the hot path of every request.
 */
function carried(raw: string[], transport: TokenTransport): Carried {
  const found: Carried = { authorization: undefined, header: undefined, repeated: undefined };
  const { bearer, tokenHeader } = transport;
  const headerLength = tokenHeader?.length;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length !== 13 && name.length !== headerLength) continue;
    if (bearer && name.toLowerCase() === 'authorization') {
      if (found.authorization === undefined) found.authorization = raw[i + 1];
      else found.repeated ??= 'Authorization';
      continue;
    }
    if (name.toLowerCase() === tokenHeader) {
      if (found.header === undefined) found.header = raw[i + 1];
      else found.repeated ??= 'session';
    }
  }
  return found;
}

/** The same from `req.headers` alone, for request objects built by hand (test doubles) that have no raw headers. */
function carriedParsed(req: IncomingMessage, transport: TokenTransport): Carried {
  const headers = req.headers ?? {};
  const header = transport.tokenHeader === undefined ? undefined : headers[transport.tokenHeader];
  return {
    authorization: transport.bearer ? headers.authorization : undefined,
    header: Array.isArray(header) ? header[0] : header,
    // `headers` keeps one Authorization: only the token header can come as several values.
    repeated: Array.isArray(header) && header.length > 1 ? 'session' : undefined,
  };
}

function bearerToken(authorization: string): string | undefined {
  const match = authorization.match(BEARER);
  if (match) return match[1];
  if (/^Bearer\b/i.test(authorization)) throw new WechatError('WECHAT_SESSION_INVALID', 'The Authorization header is malformed');
  return undefined;
}

/** A header value without HTTP's own whitespace (space, tab) around it; String#trim would also drop NBSP and friends. */
function withoutOws(value: string): string {
  const first = value.charCodeAt(0);
  const end = value.charCodeAt(value.length - 1);
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
  if (found.repeated) throw new WechatError('WECHAT_SESSION_INVALID', `The ${found.repeated} header is repeated`);
  const fromBearer = found.authorization === undefined ? undefined : bearerToken(found.authorization);
  const fromHeader = found.header === undefined ? undefined : withoutOws(found.header) || undefined;
  if (fromBearer !== undefined && fromHeader !== undefined && fromBearer !== fromHeader) {
    throw new WechatError('WECHAT_SESSION_INVALID', 'The request carries two different session tokens');
  }
  return fromBearer ?? fromHeader;
}
