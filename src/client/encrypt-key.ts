import { LRUCache } from 'lru-cache';
import { WechatError } from '../errors.js';
import type { AppCalls } from './app-calls.js';
import { callBusiness } from './business.js';
import { loginStateQuery } from './login-state.js';

/**
 * One key of the user's encrypted network channel (`wx.getUserCryptoManager()`).
 *
 * @example
 * ```ts
 * const [newest]: UserEncryptKey[] = await getWechatClient(wechat).getUserEncryptKey(req.wechat!);
 * decrypt(body, newest.encryptKey, newest.iv);
 * ```
 */
export interface UserEncryptKey {
  /** base64 of the key. */
  encryptKey: string;
  /** hex IV WeChat gives with it. */
  iv: string;
  version: number;
  /** Seconds the key is still valid, as of when WeChat answered. */
  expireIn: number;
  /** Unix seconds. */
  createTime: number;
}

/** Users whose keys one client keeps at once. */
const MAX_USERS = 10_000;

function keyOf(entry: unknown): UserEncryptKey | undefined {
  const k = entry as Record<string, unknown> | null;
  if (!k || typeof k.encrypt_key !== 'string' || typeof k.version !== 'number' || typeof k.expire_in !== 'number') return undefined;
  return { encryptKey: k.encrypt_key, iv: String(k.iv ?? ''), version: k.version, expireIn: k.expire_in, createTime: Number(k.create_time ?? 0) };
}

/**
 * The user's last 3 encrypted-channel keys (`POST /wxa/business/getuserencryptkey`,
 * everything in the query and an empty body, signed with the session_key's
 * base64 text as checksession is), kept per user until the newest expires:
 * one WeChat call per user per key version. Bounded to {@link MAX_USERS} users.
 */
export class EncryptKeyCache {
  readonly #keys = new LRUCache<string, { keys: UserEncryptKey[]; until: number }>({ max: MAX_USERS });
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  async get(calls: AppCalls, session: { openid: string; sessionKey: string }): Promise<UserEncryptKey[]> {
    const signed = loginStateQuery(session?.openid, session?.sessionKey);
    const cached = this.#keys.get(signed.openid);
    if (cached && cached.until > this.#now()) return cached.keys.map((k) => ({ ...k }));
    const body = await callBusiness(calls, {
      api: 'getuserencryptkey',
      method: 'POST',
      path: '/wxa/business/getuserencryptkey',
      query: signed,
    });
    const list = Array.isArray(body.key_info_list) ? body.key_info_list.map(keyOf) : [];
    if (list.length === 0 || list.some((k) => k === undefined)) {
      throw new WechatError('WECHAT_UPSTREAM_ERROR', 'WeChat getuserencryptkey answered ok without a usable key_info_list');
    }
    const keys = (list as UserEncryptKey[]).sort((a, b) => b.version - a.version);
    const newest = keys[0]!;
    if (newest.expireIn > 0) this.#keys.set(signed.openid, { keys, until: this.#now() + newest.expireIn * 1000 });
    return keys.map((k) => ({ ...k }));
  }
}
