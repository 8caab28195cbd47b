/**
 * A local HTTP server that answers like the WeChat server APIs, for tests and demos.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dispatch, type DispatchDeps } from './dispatch.js';
import { FaultBook } from './faults.js';
import { phonePayload, userInfoPayload } from './payloads.js';
import { StandInState, zeroCalls } from './state.js';
import type { StandInUser } from './state-users.js';
import type { StandInUserInput, WechatStandIn, WechatStandInOptions } from './types.js';

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function checkPort(port: number | undefined): number {
  const value = port ?? 0;
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new TypeError(`port must be an integer from 0 to 65535; got ${String(port)}`);
  }
  return value;
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Timers of slow answers, cleared when the server closes. */
class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();
  private stopped = false;

  later = (fn: () => void, ms: number): void => {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      fn();
    }, ms);
    this.pending.add(timer);
  };

  stop(): void {
    this.stopped = true;
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}

function knownUser(state: StandInState, openid: string): StandInUser {
  const user = state.users.get(openid);
  if (!user) throw new Error('unknown openid: issue a login code for this user first');
  return user;
}

function closeServer(server: Server, timers: Timers): Promise<void> {
  timers.stop();
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function buildStandIn(state: StandInState, faults: FaultBook, url: string, close: () => Promise<void>): WechatStandIn {
  const context = (openid: string) => ({ sessionKey: knownUser(state, openid).sessionKey, appId: state.appId, nowMs: state.now() });
  return {
    url,
    appId: state.appId,
    appSecret: state.appSecret,
    issueLoginCode: (user?: StandInUserInput) => state.users.issueLoginCode(user),
    issuePhoneCode: (openid, phone, opts) => state.users.issuePhoneCode(openid, phone, opts?.appId),
    encryptPhone: (openid, phone, opts) =>
      phonePayload({ ...context(openid), appId: opts?.watermarkAppId ?? state.appId }, phone),
    encryptUserInfo: (openid, info) => userInfoPayload(context(openid), knownUser(state, openid), info),
    sessionKeyOf: (openid) => state.users.get(openid)?.sessionKey,
    fail: (mode, opts) => faults.add(mode, opts),
    heal: () => faults.heal(),
    get calls() {
      return { ...state.calls };
    },
    resetCalls: () => {
      state.calls = zeroCalls();
    },
    invalidateAccessTokens: () => state.tokens.revokeAll(),
    omitPhoneInfo: (times = 1) => {
      if (!Number.isInteger(times) || times < 0) throw new TypeError('times must be a non-negative integer');
      state.omitPhoneInfoLeft = times;
    },
    close,
  };
}

/**
 * Start a local stand-in for the WeChat server APIs: `sns/jscode2session`,
 * `cgi-bin/stable_token`, `cgi-bin/token`, `wxa/business/getuserphonenumber`,
 * `wxa/checksession` and `wxa/resetusersessionkey`. It answers errcodes with
 * HTTP 200 and successes in WeChat's shapes, single-use codes expire, each
 * login code rotates the user's session_key, and it can be told to fail.
 *
 * Never expose the stand-in or its control API beyond loopback: it mints
 * logins for any openid. It listens on `127.0.0.1` unless told otherwise; its
 * control endpoints (`/__standin/…`) refuse pages whose origin is not
 * loopback and allow CORS for loopback origins only.
 *
 * @param options - app credentials, listen address, clock and lifetimes; all optional
 * @returns the running stand-in; call `close()` when done
 *
 * @example
 * ```ts
 * import { startWechatStandIn } from 'express-wechat-session/testing';
 *
 * const wechat = await startWechatStandIn();
 * const app = createApp({ appId: wechat.appId, appSecret: wechat.appSecret, apiBaseUrl: wechat.url });
 * const code = wechat.issueLoginCode({ openid: 'oTestUser0000000000000000000' });
 * // POST the code to your login route, then:
 * wechat.fail('busy', { api: 'jscode2session', times: 1 });
 * await wechat.close();
 * ```
 */
export async function startWechatStandIn(options: WechatStandInOptions = {}): Promise<WechatStandIn> {
  const state = new StandInState(options);
  const port = checkPort(options.port);
  const faults = new FaultBook();
  const timers = new Timers();
  const server = createServer();
  let standIn: WechatStandIn | undefined;
  const deps: DispatchDeps = {
    state,
    faults,
    later: timers.later,
    standIn: () => {
      if (!standIn) throw new Error('stand-in not started');
      return standIn;
    },
  };
  server.on('request', (req, res) => void dispatch(req, res, deps));
  server.on('clientError', (_error, socket) => socket.destroy());
  const address = await listen(server, options.host ?? '127.0.0.1', port);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= closeServer(server, timers));
  standIn = buildStandIn(state, faults, urlOf(address), close);
  return standIn;
}
