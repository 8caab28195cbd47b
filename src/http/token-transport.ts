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

/** How many times header `name` (lower-case) came in the raw request. Node keeps only the first Authorization. */
function occurrences(req: IncomingMessage, name: string): number {
  let count = 0;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const header = raw[i]!;
    if (header.length === name.length && (header === name || header.toLowerCase() === name)) count++;
  }
  return count;
}

/** `Bearer <token>` with one space and a token-shaped value, the usual header: taken without the general pattern. */
function plainBearer(authorization: string): string | undefined {
  if (!authorization.startsWith('Bearer ')) return undefined;
  const token = authorization.slice(7);
  return isTokenShaped(token) ? token : undefined;
}

/**
 * The session token a request carries: `Authorization: Bearer <token>` and/or
 * the token header. Two different tokens in one request are refused.
 * Resolves `undefined` when there is none.
 */
export function extractToken(req: IncomingMessage, transport: TokenTransport): string | undefined {
  let fromBearer: string | undefined;
  if (transport.bearer) {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      if (occurrences(req, 'authorization') > 1) throw new WechatError('WECHAT_SESSION_INVALID', 'The Authorization header is repeated');
      fromBearer = plainBearer(authorization);
      if (fromBearer === undefined) {
        const match = BEARER.exec(authorization);
        if (match) fromBearer = match[1];
        else if (/^Bearer\b/i.test(authorization)) throw new WechatError('WECHAT_SESSION_INVALID', 'The Authorization header is malformed');
      }
    }
  }
  let fromHeader: string | undefined;
  if (transport.tokenHeader) {
    const value = req.headers[transport.tokenHeader];
    if (Array.isArray(value) || (value !== undefined && occurrences(req, transport.tokenHeader) > 1)) {
      throw new WechatError('WECHAT_SESSION_INVALID', 'The session header is repeated');
    }
    // Only HTTP's own whitespace (space, tab) is trimmed: String#trim would also drop NBSP and friends.
    const bare = value?.replace(OWS, '');
    if (bare) fromHeader = bare;
  }
  if (fromBearer !== undefined && fromHeader !== undefined && fromBearer !== fromHeader) {
    throw new WechatError('WECHAT_SESSION_INVALID', 'The request carries two different session tokens');
  }
  return fromBearer ?? fromHeader;
}
