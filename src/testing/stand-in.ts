/**
 * A local HTTP server that answers like the WeChat server APIs, for tests and demos.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dispatch, type DispatchDeps } from './dispatch.js';
import { FaultBook } from './faults.js';
import { buildStandIn } from './stand-in-api.js';
import { StandInState } from './state.js';
import type { WechatStandIn, WechatStandInOptions } from './types.js';

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
  readonly #pending = new Set<NodeJS.Timeout>();
  #stopped = false;

  later = (fn: () => void, ms: number): void => {
    if (this.#stopped) return;
    const timer = setTimeout(() => {
      this.#pending.delete(timer);
      fn();
    }, ms);
    this.#pending.add(timer);
  };

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#pending) clearTimeout(timer);
    this.#pending.clear();
  }
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

/**
 * Start a local stand-in for the WeChat server APIs: `sns/jscode2session`,
 * `cgi-bin/stable_token`, `cgi-bin/token`, `wxa/business/getuserphonenumber`,
 * `wxa/checksession`, `wxa/resetusersessionkey`, `wxa/business/checkencryptedmsg`,
 * `wxa/getuserriskrank` and `wxa/business/getuserencryptkey` for each app
 * with a secret (the four that support it signed and encrypted for an app
 * given `apiSecurity`, see `generateApiSecurityKeys`); `sns/component/jscode2session` for the apps that authorized a
 * third-party platform; and WeCom's `cgi-bin/gettoken` and
 * `cgi-bin/miniprogram/jscode2session` for a corp; and virtual payment's
 * `xpay/query_user_balance`, `xpay/currency_pay` and `xpay/cancel_currency_pay`
 * for an app given `virtualPayment` (both signatures checked). It sends
 * message pushes to a URL a test names (`sendPush`). It answers errcodes with
 * HTTP 200 and successes in WeChat's shapes; codes and tokens are bound to
 * their app, single-use codes expire, each login code rotates the user's
 * session_key, and it can be told to fail.
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
 *
 * @example Several apps, a third-party platform and a WeCom corp at once
 * ```ts
 * const wechat = await startWechatStandIn({
 *   apps: [{ appId: 'wx1111111111111111', appSecret: '1'.repeat(32) }],
 *   component: { appId: 'wxc0000000000000cp', authorized: ['wx2222222222222222'], unauthorized: ['wx3333333333333333'] },
 *   wecom: { corpId: 'ww0000000000000000', corpSecret: 'corp-secret' },
 * });
 * const code = wechat.issueLoginCode({ appId: 'wx2222222222222222' }); // for sns/component/jscode2session
 * const token = wechat.componentAccessToken;
 * const phoneToken = wechat.authorizerAccessToken('wx2222222222222222');
 * const memberCode = wechat.issueWecomCode({ userId: 'zhangsan' });     // for cgi-bin/miniprogram/jscode2session
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
