/**
 * Everything one stand-in remembers, shared by its routes.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { newOpenid, newUserId } from './crypto-helpers.js';
import { buildApps, buildComponent, buildCorp, nonEmpty, type AppState, type ComponentState, type CorpState } from './state-apps.js';
import { CallBook } from './state-calls.js';
import { CodeBook } from './state-codes.js';
import { EncryptedBook } from './state-encrypted.js';
import { TokenBook } from './state-tokens.js';
import { checkId, toPhoneRecord, type StandInUser } from './state-users.js';
import type { PhoneInput, StandInUserInput, StandInWecomUserInput, WechatStandInOptions } from './types.js';

/**
 * The AppID a stand-in accepts unless told otherwise.
 *
 * @example
 * ```ts
 * const wechat = await startWechatStandIn();
 * wechat.appId === DEFAULT_APP_ID; // true
 * ```
 */
export const DEFAULT_APP_ID = 'wx0000000000standin';
/**
 * The AppSecret a stand-in accepts unless told otherwise (a fake, fixed value).
 *
 * @example
 * ```ts
 * createApp({ appId: DEFAULT_APP_ID, appSecret: DEFAULT_APP_SECRET, apiBaseUrl: wechat.url });
 * ```
 */
export const DEFAULT_APP_SECRET = '5ec7e75ec7e75ec7e75ec7e75ec7e7aa';

/** A parsed request as routes see it. */
export interface RouteRequest {
  query: URLSearchParams;
  body: string;
  /** Request headers (API security reads its `Wechatmp-*` ones). */
  headers?: IncomingHttpHeaders;
  /** The full URL the caller used, without its query (API security signs it). */
  urlpath?: string;
}

function positiveSeconds(value: number | undefined, fallback: number, name: string): number {
  const seconds = value ?? fallback;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new TypeError(`${name} must be a positive number of seconds; got ${String(value)}`);
  }
  return seconds;
}

/** State of one stand-in: apps, platform, corp, clock, codes, counters. */
export class StandInState {
  readonly appId: string;
  readonly appSecret: string;
  readonly now: () => number;
  readonly apps: ReadonlyMap<string, AppState>;
  readonly component: ComponentState | undefined;
  readonly corp: CorpState | undefined;
  readonly codes: CodeBook;
  readonly calls: CallBook;
  readonly encrypted: EncryptedBook;
  omitPhoneInfoLeft = 0;

  constructor(options: WechatStandInOptions = {}) {
    this.appId = nonEmpty(options.appId, DEFAULT_APP_ID, 'appId');
    this.appSecret = nonEmpty(options.appSecret, DEFAULT_APP_SECRET, 'appSecret');
    if (options.now !== undefined && typeof options.now !== 'function') {
      throw new TypeError('now must be a function returning milliseconds');
    }
    const clock = options.now ?? Date.now;
    this.now = () => clock();
    const codeTtl = positiveSeconds(options.codeTtlSeconds, 300, 'codeTtlSeconds');
    const tokenTtl = positiveSeconds(options.accessTokenTtlSeconds, 7200, 'accessTokenTtlSeconds');
    const tokens = (): TokenBook => new TokenBook(this.now, tokenTtl * 1000);
    this.apps = buildApps(options, this, tokens);
    this.component = buildComponent(options.component, tokens);
    this.corp = buildCorp(options.wecom, tokens);
    this.codes = new CodeBook(this.now, codeTtl * 1000);
    this.encrypted = new EncryptedBook(this.now);
    this.calls = new CallBook([...this.apps.keys(), ...(this.corp ? [this.corp.corpId] : [])]);
  }

  /** The app with this appid, if served. */
  app(appId: string | null | undefined): AppState | undefined {
    return appId === null || appId === undefined ? undefined : this.apps.get(appId);
  }

  /** The served app that issued this access token (of any kind), if any. */
  tokenOwner(token: string | null): AppState | undefined {
    if (token === null || token === '') return undefined;
    for (const app of this.apps.values()) if (app.tokens.knows(token)) return app;
    return undefined;
  }

  /** A user of an app (default the main app). */
  user(openid: string, appId = this.appId): StandInUser | undefined {
    return this.app(appId)?.users.get(openid);
  }

  /** What `wx.login` does: a code bound to the app, and for a served app a new session_key for the user there. */
  issueLoginCode(input: StandInUserInput = {}): string {
    const openid = input.openid === undefined ? newOpenid() : checkId(input.openid, 'openid');
    const appId = input.appId === undefined ? this.appId : checkId(input.appId, 'appId');
    const update = { ...(input.unionid !== undefined && { unionid: input.unionid }), ...(input.blocked !== undefined && { blocked: input.blocked }) };
    this.app(appId)?.users.login(openid, update);
    return this.codes.issue('login', appId, openid);
  }

  /** What `wx.qy.login` does: a code bound to the corp, and for the served corp a new session_key for the member. */
  issueWecomCode(input: StandInWecomUserInput = {}): string {
    const userId = input.userId === undefined ? newUserId() : checkId(input.userId, 'userId');
    const corpId = input.corpId === undefined ? this.corp?.corpId : checkId(input.corpId, 'corpId');
    if (corpId === undefined) throw new TypeError('corpId is required: the stand-in serves no WeCom corp (option `wecom`)');
    if (corpId === this.corp?.corpId) this.corp.users.login(userId);
    return this.codes.issue('wecom', corpId, userId);
  }

  /** A phone code bound to `openid` of an app (default the main app). */
  issuePhoneCode(openid: string, phone: PhoneInput | undefined, appId = this.appId): string {
    return this.codes.issue('phone', checkId(appId, 'appId'), checkId(openid, 'openid'), toPhoneRecord(phone));
  }

  /** The valid component_access_token. */
  componentToken(): string {
    if (!this.component) throw new TypeError('the stand-in serves no third-party platform (option `component`)');
    return this.component.tokens.issueCurrent('component', false).access_token;
  }

  /** The valid authorizer_access_token of an authorized app. */
  authorizerToken(appId: string): string {
    const app = this.app(appId);
    if (app?.kind !== 'authorized') throw new TypeError(`${String(appId)} is not an authorized app of the component`);
    return app.tokens.issueCurrent('authorizer', false).access_token;
  }

  /** Every token of every app, the platform and the corp stops working. */
  revokeAllTokens(): void {
    for (const app of this.apps.values()) app.tokens.revokeAll();
    this.component?.tokens.revokeAll();
    this.corp?.tokens.revokeAll();
  }

  /** Whether this phone-number success should leave out `phone_info` (uses one up). */
  takeOmitPhoneInfo(): boolean {
    if (this.omitPhoneInfoLeft <= 0) return false;
    this.omitPhoneInfoLeft -= 1;
    return true;
  }
}
