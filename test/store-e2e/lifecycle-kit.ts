import { hashToken } from '../../src/session/token.js';
import type { Harness } from '../support/harness.js';

/** Everything secret the run handed out, to look for in the servers afterwards. */
export interface Issued {
  tokens: Set<string>;
  sessionKeys: Set<string>;
}

export function newIssued(): Issued {
  return { tokens: new Set(), sessionKeys: new Set() };
}

/** Log `openid` in through `app` (stand-in code, then POST /wechat/login) and remember its secrets. */
export async function loginAs(app: Harness, issued: Issued, openid?: string): Promise<{ token: string; openid: string }> {
  const { token, openid: who } = await app.login(openid === undefined ? undefined : { openid });
  issued.tokens.add(token);
  const sessionKey = app.wechat.sessionKeyOf(who);
  if (sessionKey) issued.sessionKeys.add(sessionKey);
  return { token, openid: who };
}

/** The library's store key of the session a token names. */
export const sessionKeyOf = (appId: string, token: string): string => `${appId}:s:${hashToken(token)}`;

/** The library's store key of an openid's session index. */
export const indexKeyOf = (appId: string, openid: string): string => `${appId}:u:${openid}`;

/** Resolves once `check` holds, polling every 20 ms for at most `ms`. */
export async function eventually(what: string, check: () => Promise<boolean>, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: still not true after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A unique openid for one test. */
export const openidFor = (label: string): string => `o${label}${Math.random().toString(36).slice(2, 10)}`;
