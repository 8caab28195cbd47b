import type { IncomingMessage } from 'node:http';
import { WechatError } from '../errors.js';

export interface TokenTransport {
  bearer: boolean;
  /** Lower-case header name, or undefined for none. */
  tokenHeader: string | undefined;
}

const BEARER = /^Bearer +([^\s,]+) *$/i;

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
      const match = BEARER.exec(authorization);
      if (match) fromBearer = match[1];
      else if (/^Bearer\b/i.test(authorization)) throw new WechatError('WECHAT_SESSION_INVALID', 'The Authorization header is malformed');
    }
  }
  let fromHeader: string | undefined;
  if (transport.tokenHeader) {
    const value = req.headers[transport.tokenHeader];
    if (Array.isArray(value)) throw new WechatError('WECHAT_SESSION_INVALID', 'The session header is repeated');
    if (value !== undefined && value.trim() !== '') fromHeader = value.trim();
  }
  if (fromBearer !== undefined && fromHeader !== undefined && fromBearer !== fromHeader) {
    throw new WechatError('WECHAT_SESSION_INVALID', 'The request carries two different session tokens');
  }
  return fromBearer ?? fromHeader;
}
