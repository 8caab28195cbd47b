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
    if (!(err instanceof WechatError)) throw err;
    expect(err.message.length).toBeGreaterThan(0);
    return err.code;
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

  it('reads the Bearer scheme in any case and with any run of spaces, and refuses a malformed one', () => {
    const t = token();
    const taken: [string, string][] = [
      [`bearer ${t}`, t],
      [`BEARER ${t}`, t],
      [`Bearer   ${t}`, t],
      [`Bearer ${t}   `, t],
      ['Bearer abc', 'abc'],
      ['bearer a.b~c', 'a.b~c'],
      [`Bearer ${t}x`, `${t}x`],
    ];
    for (const [value, expected] of taken) expect({ value, got: outcome(parsed(['Authorization', value])) }).toEqual({ value, got: expected });
    const malformed = ['Bearer', 'bearer ', `Bearer\t${t}`, `Bearer ${t} x`, `Bearer ${t},x`, `Bearer a\tb`, `Bearer ,${t}`, `Bearer ${t}\t`];
    for (const value of malformed) {
      expect({ value, got: outcome(parsed(['Authorization', value])) }).toEqual({ value, got: 'WECHAT_SESSION_INVALID' });
    }
    const otherSchemes = [`Basic ${t}`, `Digest ${t}`, `Bearerish ${t}`, `Token Bearer ${t}`, `xBearer ${t}`, t, ''];
    for (const value of otherSchemes) expect({ value, got: outcome(parsed(['Authorization', value])) }).toEqual({ value, got: undefined });
  });

  it('trims a space or a tab on either side of the token header alone', () => {
    const t = token();
    for (const value of [` ${t}`, `\t${t}`, `${t} `, `${t}\t`, `  ${t}\t\t`]) {
      expect({ value, got: outcome(parsed(['x-wx-session', value])) }).toEqual({ value, got: t });
    }
    expect(outcome(parsed(['x-wx-session', ' a b ']))).toBe('a b');
    expect(outcome(parsed(['x-wx-session', ' ']))).toBeUndefined();
    expect(outcome(parsed(['x-wx-session', '\t']))).toBeUndefined();
    expect(outcome(parsed(['x-wx-session', '']))).toBeUndefined();
    expect(outcome(parsed(['x-wx-session', 'a']))).toBe('a');
    expect(outcome(parsed(['x-wx-session', `${t}\n`]))).toBe(`${t}\n`);
  });

  it('counts each header on its own: one of each is no repeat, and the same token in both is fine', () => {
    const t = token();
    expect(outcome(parsed(['Authorization', `Bearer ${t}`, 'Accept', '*/*', 'x-wx-session', t, 'Host', 'x']))).toBe(t);
    expect(outcome(parsed(['x-wx-session', t, 'x-wx-sessions', token(), 'x-wx-sessio', token()]))).toBe(t);
    expect(outcome(parsed(['authorizations', `Bearer ${token()}`, 'authorizatio', `Bearer ${token()}`]))).toBeUndefined();
    expect(outcome(parsed(['x-wx-session', t, 'x-wx-session', t, 'x-wx-session', t]))).toBe('WECHAT_SESSION_INVALID');
    expect(outcome(parsed(['Authorization', 'Basic a', 'authorization', `Bearer ${t}`]))).toBe('WECHAT_SESSION_INVALID');
    expect(outcome(parsed(['x-wx-session', t]), { bearer: false, tokenHeader: 'x-wx-session' })).toBe(t);
    expect(outcome(parsed(['authorization', `Bearer ${t}`, 'authorization', `Bearer ${t}`]), { bearer: false, tokenHeader: 'x-wx-session' })).toBeUndefined();
    expect(outcome(parsed(['x-wx-session', t, 'x-wx-session', t]), { bearer: true, tokenHeader: undefined })).toBeUndefined();
    expect(outcome(parsed(['x', t, 'X-Custom-Head', `Bearer ${t}`, 'authorization', `Bearer ${t}`]), { bearer: true, tokenHeader: 'x' })).toBe(t);
    expect(outcome(parsed(['authorization', `Bearer ${t}`]), { bearer: true, tokenHeader: 'authorization' })).toBe(t);
  });

  it('refuses two different tokens however they are carried, and takes either one alone', () => {
    const [a, b] = [token(), token()];
    expect(outcome(parsed(['x-wx-session', b, 'authorization', `Bearer ${a}`]))).toBe('WECHAT_SESSION_INVALID');
    expect(outcome(parsed(['authorization', 'Bearer abc', 'x-wx-session', 'abd']))).toBe('WECHAT_SESSION_INVALID');
    expect(outcome(parsed(['authorization', `Bearer ${a}`, 'x-wx-session', ` ${a}\t`]))).toBe(a);
    expect(outcome(parsed(['authorization', `Bearer ${a}`, 'x-wx-session', ' ']))).toBe(a);
    expect(outcome(parsed(['authorization', `Basic ${b}`, 'x-wx-session', a]))).toBe(a);
  });

  it('reads a hand-built request by its transport alone', () => {
    const t = token();
    const bare = (headers: Record<string, string | string[]>) => ({ headers }) as unknown as IncomingMessage;
    expect(outcome(bare({ authorization: `Bearer ${t}` }), { bearer: false, tokenHeader: 'x-wx-session' })).toBeUndefined();
    expect(outcome(bare({ 'x-wx-session': t }), { bearer: true, tokenHeader: undefined })).toBeUndefined();
    expect(outcome(bare({ undefined: t }), { bearer: true, tokenHeader: undefined })).toBeUndefined();
    expect(outcome(bare({ 'x-wx-session': [t] }))).toBe(t);
    expect(outcome(bare({ 'x-wx-session': [] }))).toBeUndefined();
    expect(outcome(bare({ 'x-wx-session': t, authorization: `Bearer ${t}` }))).toBe(t);
    expect(outcome(bare({ 'x-wx-session': token(), authorization: `Bearer ${t}` }))).toBe('WECHAT_SESSION_INVALID');
    expect(outcome(bare({ authorization: 'Bearer a b' }))).toBe('WECHAT_SESSION_INVALID');
  });
});
