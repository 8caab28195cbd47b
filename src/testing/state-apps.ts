/**
 * The apps, third-party platform and WeCom corp a stand-in serves, each with
 * its own users and tokens, built from the options and checked.
 */
import type { VirtualPaymentKeys } from '../xpay/signatures.js';
import { StandInSecurity } from './api-security.js';
import { type PushSettings, pushSettings } from './push-build.js';
import type { TokenBook } from './state-tokens.js';
import { UserBook } from './state-users.js';
import { TokenLedger, xpayKeys } from './state-xpay.js';
import type { StandInAppInput, StandInComponentInput, StandInWecomInput, WechatStandInOptions } from './types-options.js';

/**
 * How an app logs in: with its AppSecret (`secret`), or through the
 * third-party platform it authorized (`authorized`), or not at all because it
 * has not authorized the platform (`unauthorized`).
 */
export type AppKind = 'secret' | 'authorized' | 'unauthorized';

/** One mini-program. */
export interface AppState {
  appId: string;
  kind: AppKind;
  /** Only apps of kind `secret` have one. */
  appSecret?: string;
  users: UserBook;
  tokens: TokenBook;
  /** Set when the app's signable calls must be signed and encrypted. */
  security?: StandInSecurity;
  /** `getuserriskrank` answers per openid: rank and unoin_id. */
  risk: Map<string, { rank: number; unionId: number }>;
  /** `getuserencryptkey` keys per openid, newest last. */
  encryptKeys: Map<string, EncryptKeyInfo[]>;
  /** How pushes to the app are signed and encrypted, when given. */
  push?: PushSettings;
  /** The AppKeys that check `pay_sig` on the `xpay` APIs, when given. */
  xpay?: VirtualPaymentKeys;
  /** Token balances and payments of the `xpay` APIs. */
  ledger: TokenLedger;
}

/** One key of the encrypted network channel, as `getuserencryptkey` lists it. */
export interface EncryptKeyInfo {
  encrypt_key: string;
  version: number;
  iv: string;
  create_time: number;
}

/** The third-party platform; its first component_access_token is issued at start-up. */
export interface ComponentState {
  appId: string;
  tokens: TokenBook;
}

/** The WeCom corp; its users are keyed by userid. */
export interface CorpState {
  corpId: string;
  corpSecret: string;
  users: UserBook;
  tokens: TokenBook;
}

/**
 * The corp secret a stand-in accepts unless told otherwise (a fake, fixed value).
 *
 * @example
 * ```ts
 * wechatSession({ wecom: { corpId: wechat.corpId!, corpSecret: DEFAULT_CORP_SECRET, apiBaseUrl: wechat.url } });
 * ```
 */
export const DEFAULT_CORP_SECRET = 'standinCorpSecret0standinCorpSecret0standin';

/** Makes a token book with the stand-in's clock and lifetime. */
export type NewTokenBook = () => TokenBook;

/** Throws unless `value` is a non-empty string. */
export function nonEmpty(value: unknown, fallback: string | undefined, name: string): string {
  const text = value ?? fallback;
  if (typeof text !== 'string' || text === '') throw new TypeError(`${name} must be a non-empty string`);
  return text;
}

function idList(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array of appids`);
  return value.map((id, i) => nonEmpty(id, undefined, `${name}[${i}]`));
}

/** What a secret app (the main one, or one of `apps`) may have besides its AppSecret. */
type SecretAppInput = Partial<{ appId: unknown; appSecret: unknown }> & Pick<StandInAppInput, 'apiSecurity' | 'push' | 'virtualPayment'>;

/** The state an app with a secret starts from, its options checked (`name` prefixes the option names in errors). */
function secretApp(input: SecretAppInput, appId: string, name: string): Partial<AppState> {
  return {
    appSecret: nonEmpty(input.appSecret, undefined, `${name}appSecret`),
    security: input.apiSecurity && new StandInSecurity(input.apiSecurity, `${name}apiSecurity`),
    push: input.push === undefined ? undefined : pushSettings(input.push, appId, `${name}push`),
    xpay: xpayKeys(input.virtualPayment, `${name}virtualPayment`),
  };
}

/** Every app served: the main one first, then `apps`, then the platform's. Throws on a repeated appid. */
export function buildApps(options: WechatStandInOptions, main: { appId: string; appSecret: string }, tokens: NewTokenBook): Map<string, AppState> {
  const apps = new Map<string, AppState>();
  const add = (appId: string, kind: AppKind, extras: Partial<AppState> = {}): void => {
    if (apps.has(appId)) throw new TypeError(`appid ${appId} is given more than once`);
    apps.set(appId, { appId, kind, users: new UserBook(), tokens: tokens(), risk: new Map(), encryptKeys: new Map(), ledger: new TokenLedger(), ...extras });
  };
  add(main.appId, 'secret', secretApp({ ...options, appSecret: main.appSecret }, main.appId, ''));
  if (options.apps !== undefined && !Array.isArray(options.apps)) throw new TypeError('apps must be an array of { appId, appSecret }');
  (options.apps ?? []).forEach((app, i) => {
    const entry: SecretAppInput = app ?? {};
    const appId = nonEmpty(entry.appId, undefined, `apps[${i}].appId`);
    add(appId, 'secret', secretApp(entry, appId, `apps[${i}].`));
  });
  const component: Partial<StandInComponentInput> = options.component ?? {};
  for (const appId of idList(component.authorized, 'component.authorized')) add(appId, 'authorized');
  for (const appId of idList(component.unauthorized, 'component.unauthorized')) add(appId, 'unauthorized');
  return apps;
}

/** The platform of `options.component`, if any. */
export function buildComponent(input: StandInComponentInput | undefined, tokens: NewTokenBook): ComponentState | undefined {
  if (input === undefined) return undefined;
  if (input === null || typeof input !== 'object') throw new TypeError('component must be an object { appId, accessToken?, authorized?, unauthorized? }');
  const component: ComponentState = { appId: nonEmpty(input.appId, undefined, 'component.appId'), tokens: tokens() };
  const first = input.accessToken === undefined ? undefined : nonEmpty(input.accessToken, undefined, 'component.accessToken');
  component.tokens.replace('component', first);
  return component;
}

/** The corp of `options.wecom`, if any. */
export function buildCorp(input: StandInWecomInput | undefined, tokens: NewTokenBook): CorpState | undefined {
  if (input === undefined) return undefined;
  if (input === null || typeof input !== 'object') throw new TypeError('wecom must be an object { corpId, corpSecret? }');
  return {
    corpId: nonEmpty(input.corpId, undefined, 'wecom.corpId'),
    corpSecret: nonEmpty(input.corpSecret, DEFAULT_CORP_SECRET, 'wecom.corpSecret'),
    users: new UserBook(),
    tokens: tokens(),
  };
}
