import type { WechatPhone, WechatRequestSession, WechatSessionData, WechatUserInfo } from '../types.js';
import type { Realm } from './manager.js';

/** What a handle needs from the session manager to save or end itself. */
export interface SessionBackend {
  saveData(hash: string, data: Record<string, unknown>): Promise<void>;
  destroyHash(hash: string): Promise<void>;
}

/**
 * `req.wechat`: the resolved session. `sessionKey` and `token` are readable
 * but not enumerable, so `res.json(req.wechat)` or a logger that prints the
 * object never carries them. A mini-program user's session has `appId` and
 * `openid`; a WeCom member's has `corpId` and `userId`, and no `openid`.
 *
 * @example
 * ```ts
 * app.get('/api/me', requireWechatSession(wechat), (req, res) => res.json(req.wechat));
 * ```
 */
export class WechatSession implements WechatRequestSession {
  declare readonly openid: string;
  declare readonly appId: string;
  declare readonly corpId?: string;
  declare readonly userId?: string;
  readonly unionid: string | undefined;
  /** When the session lapses without further use (ms since the epoch). */
  readonly expiresAt: number;
  /** The app's own fields; change them with `save()`. */
  data: Partial<WechatSessionData>;
  /** Set by `decryptPhone`. */
  phone?: WechatPhone;
  /** Set by `wechatLogin` when the legacy getUserInfo payload came with the code. */
  userInfo?: WechatUserInfo;
  readonly #token: string;
  readonly #sessionKey: string;
  readonly #hash: string;
  readonly #backend: SessionBackend;
  readonly #subject: string;

  constructor(
    fields: {
      realm: Realm;
      subject: string;
      unionid?: string;
      sessionKey: string;
      token: string;
      hash: string;
      expiresAt: number;
      data?: Record<string, unknown>;
    },
    backend: SessionBackend,
  ) {
    const own = this as { -readonly [K in 'openid' | 'appId' | 'corpId' | 'userId']?: string };
    if (fields.realm.kind === 'app') {
      own.appId = fields.realm.id;
      own.openid = fields.subject;
    } else {
      own.corpId = fields.realm.id;
      own.userId = fields.subject;
    }
    this.#subject = fields.subject;
    this.unionid = fields.unionid;
    this.expiresAt = fields.expiresAt;
    this.data = (fields.data ?? {}) as Partial<WechatSessionData>;
    this.#token = fields.token;
    this.#sessionKey = fields.sessionKey;
    this.#hash = fields.hash;
    this.#backend = backend;
  }

  /** The openid, or a WeCom member's userid: whom the session's index is kept under. */
  get subject(): string {
    return this.#subject;
  }

  /** The 3rd_session token the client sends back. */
  get token(): string {
    return this.#token;
  }

  /** WeChat's session_key for this user: server-side only, never send it anywhere. */
  get sessionKey(): string {
    return this.#sessionKey;
  }

  /** Merge `patch` into `data` and write it to the store. */
  async save(patch?: Partial<WechatSessionData>): Promise<void> {
    if (patch) this.data = { ...this.data, ...patch };
    await this.#backend.saveData(this.#hash, this.data as Record<string, unknown>);
  }

  /** End this session (log out). */
  async destroy(): Promise<void> {
    await this.#backend.destroyHash(this.#hash);
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> =
      this.corpId === undefined
        ? { appId: this.appId, openid: this.openid, expiresAt: this.expiresAt, data: this.data }
        : { corpId: this.corpId, userId: this.userId, expiresAt: this.expiresAt, data: this.data };
    if (this.unionid !== undefined) out.unionid = this.unionid;
    if (this.phone) out.phone = this.phone;
    return out;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): Record<string, unknown> {
    return this.toJSON();
  }
}
