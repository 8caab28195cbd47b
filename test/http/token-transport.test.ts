import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { WechatError } from '../../src/index.js';
import { extractToken, type TokenTransport } from '../../src/http/token-transport.js';

const both: TokenTransport = { bearer: true, tokenHeader: 'x-wx-session' };
const token = () => randomBytes(24).toString('base64url');

/** A request as Node's parser leaves it: raw headers in order, and `headers` built from them. */
function parsed(raw: string[]): IncomingMessage {
  const headers: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (!(name in headers)) headers[name] = raw[i + 1]!;
  }
  return { rawHeaders: raw, headers } as unknown as IncomingMessage;
}

/** The token, or the error code it is refused with. */
function outcome(req: IncomingMessage, transport: TokenTransport = both): string | undefined {
  try {
    return extractToken(req, transport);
  } catch (err) {
    return (err as WechatError).code;
  }
}

describe('extractToken', () => {
  it('takes the token from Authorization or the token header, whatever the header names are spelled like', () => {
    const t = token();
    for (const name of ['authorization', 'Authorization', 'AUTHORIZATION', 'aUtHoRiZaTiOn']) {
      expect(outcome(parsed(['Host', 'x', name, `Bearer ${t}`]))).toBe(t);
    }
    for (const name of ['x-wx-session', 'X-Wx-Session', 'X-WX-SESSION']) {
      expect(outcome(parsed([name, t, 'Accept', '*/*']))).toBe(t);
    }
    expect(outcome(parsed(['Authorization', `Bearer ${t}`, 'X-WX-Session', t]))).toBe(t);
  });

  it('refuses a repeated header even when the repeat is spelled differently, and two different tokens', () => {
    const [a, b] = [token(), token()];
    expect(outcome(parsed(['authorization', `Bearer ${a}`, 'Authorization', `Bearer ${a}`]))).toBe('WECHAT_SESSION_INVALID');
    expect(outcome(parsed(['x-wx-session', a, 'X-Wx-Session', a]))).toBe('WECHAT_SESSION_INVALID');
    expect(outcome(parsed(['authorization', `Bearer ${a}`, 'x-wx-session', b]))).toBe('WECHAT_SESSION_INVALID');
  });

  it('trims only spaces and tabs around the token header, and ignores headers the transport does not use', () => {
    const t = token();
    expect(outcome(parsed(['x-wx-session', ` \t${t}\t `]))).toBe(t);
    expect(outcome(parsed(['x-wx-session', `\u00a0${t}`]))).toBe(`\u00a0${t}`);
    expect(outcome(parsed(['x-wx-session', '  ']))).toBeUndefined();
    expect(outcome(parsed(['authorization', `Bearer ${t}`]), { bearer: false, tokenHeader: 'x-wx-session' })).toBeUndefined();
    expect(outcome(parsed(['x-wx-session', t]), { bearer: true, tokenHeader: undefined })).toBeUndefined();
    expect(outcome(parsed(['authorization', 'Basic dXNlcjpwYXNz']))).toBeUndefined();
    expect(outcome(parsed(['authorization', 'Bearer a b']))).toBe('WECHAT_SESSION_INVALID');
  });

  it('reads a hand-built request that has `headers` and no raw headers (a test double)', () => {
    const t = token();
    const bare = (headers: Record<string, string | string[]>) => ({ headers }) as unknown as IncomingMessage;
    expect(outcome(bare({ authorization: `Bearer ${t}` }))).toBe(t);
    expect(outcome(bare({ 'x-wx-session': ` ${t}` }))).toBe(t);
    expect(outcome(bare({ 'x-wx-session': [t, t] }))).toBe('WECHAT_SESSION_INVALID');
    expect(outcome(bare({}))).toBeUndefined();
    expect(outcome({} as IncomingMessage)).toBeUndefined();
  });
});
