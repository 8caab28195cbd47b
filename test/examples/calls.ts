/**
 * JSON calls to a running example, and the round every server example
 * passes: login through the WeChat stand-in, the protected route, logout.
 */
import { randomBytes } from 'node:crypto';
import type { WechatStandIn } from '../../src/testing/index.js';

export interface Answer {
  status: number;
  body: any;
}

/** A JSON call: `token` goes as a Bearer header; the body is parsed when there is one. */
export async function call(url: string, path: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(url + path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export const newOpenid = () => `oEx${randomBytes(12).toString('base64url')}`;

/** Log `openid` in at `url` with a code from `wechat` (or the one given); resolves the token. */
export async function login(wechat: WechatStandIn, url: string, openid: string, code = wechat.issueLoginCode({ openid })): Promise<string> {
  const answer = await call(url, '/wechat/login', { method: 'POST', body: { code } });
  expect(answer).toMatchObject({ status: 200, body: { openid, token: expect.any(String) } });
  return answer.body.token;
}

/** What a 401 of the library looks like, by code. */
export const refused = (code: string) => ({ status: 401, body: { error: expect.objectContaining({ code }) } });

/** Login → protected route → logout → the token is refused. */
export async function lifecycle(wechat: WechatStandIn, url: string): Promise<void> {
  const openid = newOpenid();
  const token = await login(wechat, url, openid);
  expect(await call(url, '/api/me', { token })).toMatchObject({ status: 200, body: { openid } });
  expect(await call(url, '/api/me')).toMatchObject(refused('WECHAT_SESSION_REQUIRED'));
  expect(await call(url, '/wechat/logout', { method: 'POST', token })).toEqual({ status: 204, body: undefined });
  expect(await call(url, '/api/me', { token })).toMatchObject(refused('WECHAT_SESSION_INVALID'));
}
